package dev.deepresearcher.policy.factory;

import static java.util.stream.Collectors.joining;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.policy.Tokenizer;
import dev.deepresearcher.policy.factory.internal.ByteLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trained tokenizer through the runtime (DJL's binding of Hugging Face tokenizers): exact round
 * trips, the world's words as single tokens, the added tokens, and the Java pre-tokenizer equal to
 * the runtime's.
 */
class TinyTokenizerTest {
  static final SyntheticWorld WORLD = new SyntheticWorld(7, 120, 60, 12);
  static List<String> texts;
  static TinyTokenizer trained;
  static Tokenizer runtime;

  @TempDir static Path tmp;

  /** The 61 strings of the tokenizer fixture and more white space and case-folding corners. */
  static List<String> trickyStrings() throws IOException {
    JsonNode golden =
        new ObjectMapper()
            .readTree(TinyTokenizerTest.class.getResourceAsStream("/qwen2/tokenizer_golden.json"));
    List<String> out = new ArrayList<>();
    golden.get("cases").forEach(c -> out.add(c.get("text").asText()));
    out.addAll(
        List.of(
            "IT'S O'NEIL'S 'LL 'Ve 'ſ", // (?i) folds the long s like Oniguruma
            "next\u0085line, line\u2028sep, para\u2029sep",
            "ideographic\u3000space and thin\u2009space\u00a0\u00a0nbsp",
            "q\u0301 no precomposed form, A\u030a\u0301 two marks",
            "Kelvin \u212a and Ωhm \u2126",
            "tabs\t\t\n\t\r\n\r\rcarriage",
            "<think>a</think>\n<answer> b </answer><tool_response>\nx\n</tool_response>",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math letters 𝟙𝟚𝟛 and ⅫⅪ roman numerals ½",
            "\u0000\u0001\u001f\u007f\u0080\u009f controls",
            "trailing spaces and newline   \n   "));
    return out;
  }

  @BeforeAll
  static void train() throws IOException {
    texts = new ArrayList<>(WORLD.documents());
    for (String[] qa : WORLD.questions()) {
      texts.add(qa[0]);
      texts.add("<think>The documents say it.</think>\n<answer>" + qa[1] + "</answer>");
    }
    trained = TinyModels.trainTokenizer(texts, new BpeSpec(8192, 2));
    Files.writeString(tmp.resolve("tokenizer.json"), trained.toJson());
    runtime = Tokenizer.load(tmp.resolve("tokenizer.json"));
  }

  @Test
  void everyTextRoundTripsExactly() throws IOException {
    List<String> all = new ArrayList<>(trickyStrings());
    all.addAll(texts.subList(0, 50));
    for (String s : all) {
      // NFC text comes back as it was; the fixture's one decomposed string comes back composed.
      String nfc = Normalizer.normalize(s, Normalizer.Form.NFC);
      assertEquals(nfc, runtime.decode(runtime.encode(s), false), () -> "round trip of " + s);
    }
  }

  @Test
  void textThatIsNotNfcComesBackNormalizedAsQwen2Does() {
    String decomposed = "cafe\u0301 A\u030a";
    assertEquals("caf\u00e9 \u00c5", runtime.decode(runtime.encode(decomposed), false));
  }

  @Test
  void everyWordOccurringTwiceIsOneTokenLeadingSpaceIncluded() {
    assertEquals(0, trained.splitWords(), "the vocabulary had room for every frequent word");
    Map<String, Integer> counts = new HashMap<>();
    ByteLevel byteLevel = new ByteLevel(TinyTokenizer.addedTokens());
    for (String text : texts) {
      byteLevel.pieces(text, piece -> counts.merge(piece, 1, Integer::sum));
    }
    int checked = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() >= 2) {
        assertTrue(trained.id(e.getKey()) >= 0, e.getKey());
        checked++;
      }
    }
    assertTrue(checked > 300, checked + " words");
    for (String text : texts.subList(0, 100)) {
      // The runtime's tokens of a training text are its words.
      List<String> tokens = runtime.encodeWithOffsets(text).tokens();
      List<String> frequent = byteLevel.pieces(text);
      if (frequent.stream().allMatch(p -> counts.get(p) >= 2)) {
        assertEquals(frequent, tokens, text);
      }
    }
    for (String city : WORLD.cities) {
      int[] ids = runtime.encode("in " + city + ".");
      assertEquals(3, ids.length, city);
      assertEquals(trained.id("Ġ" + city), ids[1], city);
    }
    for (String person : WORLD.people) {
      assertEquals(2, runtime.encode(" " + person).length, person + ": Ġfirst name, Ġlast name");
    }
  }

  @Test
  void javaPreTokenizationIsTheRuntimes() throws IOException {
    // Trained with minimum count 1 on the strings themselves, each of their pieces is one token:
    // the runtime's tokens are then exactly the Java pre-tokenizer's pieces.
    List<String> tricky = trickyStrings();
    TinyTokenizer each = TinyModels.trainTokenizer(tricky, new BpeSpec(20_000, 1));
    assertEquals(0, each.splitWords());
    Path dir = Files.createDirectories(tmp.resolve("each"));
    Files.writeString(dir.resolve("tokenizer.json"), each.toJson());
    ByteLevel byteLevel = new ByteLevel(TinyTokenizer.addedTokens());
    Pattern added =
        Pattern.compile(
            TinyTokenizer.addedTokens().stream().map(Pattern::quote).collect(joining("|")));
    try (Tokenizer t = Tokenizer.load(dir)) {
      for (String s : tricky) {
        // Added tokens are cut out first and are tokens of their own.
        List<String> expected = new ArrayList<>();
        Matcher m = added.matcher(s);
        int at = 0;
        while (m.find()) {
          expected.addAll(byteLevel.pieces(s.substring(at, m.start())));
          expected.add(m.group());
          at = m.end();
        }
        expected.addAll(byteLevel.pieces(s.substring(at)));
        assertEquals(expected, t.encodeWithOffsets(s).tokens(), () -> "pieces of " + s);
      }
    }
  }

  @Test
  void addedTokensAreSingleTokensAfterTheVocabulary() {
    int base = trained.bpeSize();
    List<String> added = TinyTokenizer.addedTokens();
    assertEquals(TinyTokenizer.ADDED_TOKEN_COUNT, added.size());
    for (int i = 0; i < added.size(); i++) {
      assertEquals(base + i, trained.id(added.get(i)));
      assertArrayEquals(new int[] {base + i}, runtime.encode(added.get(i)), added.get(i));
    }
    int[] ids =
        runtime.encode("<|im_start|>assistant\n<think>x</think><answer>y</answer><|im_end|>");
    assertEquals(base + 1, ids[0]);
    assertEquals(base + 2, ids[ids.length - 1]);
    // Special tokens are dropped when skipping them; the tags are kept, as Qwen2.5 keeps its tags.
    assertEquals("assistant\n<think>x</think><answer>y</answer>", runtime.decode(ids, true));
  }

  @Test
  void sameTextsGiveTheSameTokenizer() {
    assertEquals(trained.toJson(), TinyModels.trainTokenizer(texts, new BpeSpec(8192, 2)).toJson());
  }

  @Test
  void aSmallVocabularyStopsAtTheCapAndCountsTheSplitWords() {
    TinyTokenizer small = TinyModels.trainTokenizer(texts, new BpeSpec(400, 2));
    assertEquals(400, small.size());
    assertTrue(small.splitWords() > 0, "some frequent words stay split");
    assertTrue(small.frequentWords() > small.splitWords());
    TinyTokenizer rare = TinyModels.trainTokenizer(List.of("one two two"), new BpeSpec(8192, 2));
    assertTrue(rare.id("two") < 0 && rare.id("Ġtwo") >= 0, "only the repeated word is merged");
  }

  @Test
  void badInputIsRefusedWithTheValueAndTheFix() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new BpeSpec(266, 1));
    assertTrue(
        e.getMessage().contains("maxVocab 266") && e.getMessage().contains("267"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new BpeSpec(1024, 0));
    assertTrue(e.getMessage().contains("minFrequency 0"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TinyModels.trainTokenizer(List.of(), BpeSpec.defaults()));
    assertTrue(e.getMessage().contains("no training text"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TinyModels.trainTokenizer(List.of(" ", "\n"), BpeSpec.defaults()));
    assertTrue(e.getMessage().contains("2 texts given are empty or blank"), e.getMessage());
  }
}
