package dev.deepresearcher.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.testing.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
  private static final Path DEV = TestPaths.data("deepresearcher/dev.parquet");
  private static final Path HOTPOT = TestPaths.data("hotpotqa-100/questions.jsonl");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void readsDeepResearchersDevParquet() throws IOException {
    List<QaExample> dev = Datasets.readAll(DEV);
    assertEquals(875, dev.size());
    Map<String, Integer> perSource = new TreeMap<>();
    dev.forEach(e -> perSource.merge(e.dataSource(), 1, Integer::sum));
    assertEquals(
        Map.of(
            "2wiki",
            125,
            "Bamboogle",
            125,
            "hotpotqa",
            125,
            "musique",
            125,
            "nq",
            125,
            "popqa",
            125,
            "tq",
            125),
        perSource);

    QaExample first = dev.get(0);
    assertEquals("tq_qg_3477", first.id());
    assertEquals("tq", first.dataSource());
    assertEquals(
        "Lasting from 1299 to 1922, the Ottoman empire roughly corresponds to what modern day"
            + " country?",
        first.question());
    assertEquals(List.of(new ChatMessage("user", first.question())), first.prompt());
    assertEquals(26, first.groundTruths().size());
    assertEquals("türkiye", first.groundTruths().get(0));
    assertEquals("turkey state", first.groundTruths().get(25));
    assertEquals("search & question answering", first.ability());
    assertEquals(Map.of("index", "tq_qg_3477", "split", "dev"), first.extraInfo());
    assertEquals(0, first.row());
    assertEquals(874, dev.get(874).row());

    QaExample popqa = dev.get(1);
    assertEquals(
        List.of("Jacob", "Israel", "Ya'akov", "Ya'aqov", "Yaakov", "Yisrael"),
        popqa.groundTruths());
  }

  @Test
  void readsHotpotQaJsonLines() throws IOException {
    List<QaExample> hotpot = Datasets.readAll(HOTPOT);
    assertEquals(100, hotpot.size());
    QaExample first = hotpot.get(0);
    assertEquals("0", first.id(), "an integer extra_info.index becomes the id");
    assertEquals("hotpotqa", first.dataSource());
    assertEquals("Were Scott Derrickson and Ed Wood of the same nationality?", first.question());
    assertEquals(List.of("yes"), first.groundTruths());
    assertEquals(
        List.of("Ed Wood", "Scott Derrickson"), first.extraInfo().get("supporting_titles"));
  }

  @Test
  void parquetAndJsonLinesOfTheSameRowsReadTheSame() throws IOException {
    List<QaExample> fromParquet = Datasets.readAll(DEV);
    Path jsonl = dir.resolve("dev.jsonl");
    List<String> lines = new ArrayList<>();
    for (QaExample e : fromParquet) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("data_source", e.dataSource());
      List<Map<String, String>> prompt = new ArrayList<>();
      e.prompt().forEach(m -> prompt.add(Map.of("role", m.role(), "content", m.content())));
      row.put("prompt", prompt);
      row.put("ability", e.ability());
      row.put("reward_model", Map.of("ground_truth", e.groundTruthJoined(), "style", "unknown"));
      row.put("extra_info", e.extraInfo());
      lines.add(JSON.writeValueAsString(row));
    }
    Files.write(jsonl, lines);
    assertEquals(fromParquet, Datasets.readAll(jsonl));
  }

  @Test
  void groundTruthsSplitLikePython() {
    assertEquals(List.of("a", "b"), QaExample.splitAnswers("a<|answer_split|>b"));
    assertEquals(List.of("a", ""), QaExample.splitAnswers("a<|answer_split|>"));
    assertEquals(List.of("only"), QaExample.splitAnswers("only"));
  }

  @Test
  void aListOfAnswersIsAcceptedInJsonLines() throws IOException {
    Path file =
        write(
            "q.jsonl",
            "{\"data_source\":\"x\",\"prompt\":[{\"role\":\"user\",\"content\":\"q?\"}],"
                + "\"reward_model\":{\"ground_truth\":[\"a\",\"b\"]}}");
    QaExample e = Datasets.readAll(file).get(0);
    assertEquals(List.of("a", "b"), e.groundTruths());
    assertEquals("0", e.id());
    assertNull(e.ability());
  }

  @Test
  void malformedJsonNamesTheFileAndLine() throws IOException {
    Path file = write("bad.jsonl", row("ok"), "", "{\"data_source\": \"nq\", ");
    DatasetException e = assertThrows(DatasetException.class, () -> Datasets.readAll(file));
    assertTrue(e.getMessage().startsWith(file + ":3: not valid JSON"), e.getMessage());
  }

  @Test
  void aLineThatIsNotAnObjectIsAClearError() throws IOException {
    Path file = write("bad.jsonl", "[1, 2]");
    DatasetException e = assertThrows(DatasetException.class, () -> Datasets.readAll(file));
    assertEquals(file + ":1: each line must be one JSON object", e.getMessage());
  }

  @Test
  void anEmptyGroundTruthNamesTheFileAndRow() throws IOException {
    Path file = write("empty.jsonl", row("a"), row(""));
    DatasetException e = assertThrows(DatasetException.class, () -> Datasets.readAll(file));
    assertEquals(
        file + ":2: reward_model.ground_truth is empty; every question needs at least one answer",
        e.getMessage());
  }

  @Test
  void aMissingFieldOrWrongTypeIsAClearError() throws IOException {
    Path noSource =
        write(
            "a.jsonl",
            "{\"prompt\":[{\"role\":\"user\",\"content\":\"q\"}],\"reward_model\":{\"ground_truth\":\"x\"}}");
    assertEquals(
        noSource + ":1: missing data_source",
        assertThrows(DatasetException.class, () -> Datasets.readAll(noSource)).getMessage());

    Path promptString =
        write(
            "b.jsonl",
            "{\"data_source\":\"nq\",\"prompt\":\"q?\",\"reward_model\":{\"ground_truth\":\"x\"}}");
    assertEquals(
        promptString + ":1: prompt must be a list of {role, content} messages, got a string",
        assertThrows(DatasetException.class, () -> Datasets.readAll(promptString)).getMessage());

    Path numericTruth =
        write(
            "c.jsonl",
            "{\"data_source\":\"nq\",\"prompt\":[{\"role\":\"user\",\"content\":\"q\"}],"
                + "\"reward_model\":{\"ground_truth\":42}}");
    String message =
        assertThrows(DatasetException.class, () -> Datasets.readAll(numericTruth)).getMessage();
    assertTrue(
        message.startsWith(numericTruth + ":1: reward_model.ground_truth must be a string"),
        message);
    assertTrue(message.endsWith("got 42"), message);
  }

  @Test
  void rowsStreamOneAtATime() throws IOException {
    Path file = write("stream.jsonl", row("a"), row("b"), "not json");
    try (DatasetReader reader = Datasets.open(file)) {
      Iterator<QaExample> it = reader.iterator();
      assertEquals("a", it.next().groundTruths().get(0));
      assertEquals("b", it.next().groundTruths().get(0));
      assertThrows(DatasetException.class, it::next, "the bad line fails only when reached");
    }
  }

  @Test
  void aMissingFileAndAnUnknownFormatAreClearErrors() throws IOException {
    assertThrows(NoSuchFileException.class, () -> Datasets.open(dir.resolve("nope.parquet")));
    Path csv = write("q.csv", "question,answer", "a,b");
    DatasetException e = assertThrows(DatasetException.class, () -> Datasets.open(csv));
    assertTrue(e.getMessage().contains("unknown dataset format"), e.getMessage());
  }

  @Test
  void aParquetFileWithoutTheLayoutsColumnsNamesWhatIsMissing() throws IOException {
    Path file = dir.resolve("other.parquet");
    ParquetFixtures.writeStrings(file, Map.of("question", "q?", "answer", "a"));
    DatasetException e = assertThrows(DatasetException.class, () -> Datasets.open(file));
    assertEquals(
        file
            + ": missing columns data_source, prompt, reward_model.ground_truth (the file has:"
            + " question, answer); DeepResearcher's layout needs data_source, prompt and"
            + " reward_model.ground_truth",
        e.getMessage());
  }

  @Test
  void aParquetColumnOfTheWrongTypeIsAClearError() throws IOException {
    Path file = dir.resolve("flat.parquet");
    ParquetFixtures.writeFlatLayout(file, "nq", "a question", "");
    DatasetException e = assertThrows(DatasetException.class, () -> Datasets.open(file));
    assertEquals(
        file + ": column prompt has type BINARY; expected a list of {role, content}",
        e.getMessage());
  }

  @Test
  void aParquetRowWithAnEmptyGroundTruthNamesTheRow() throws IOException {
    Path file = dir.resolve("empty-truth.parquet");
    ParquetFixtures.writeLayout(file, List.of("nq", "tq"), List.of("answer", " "));
    DatasetException e = assertThrows(DatasetException.class, () -> Datasets.readAll(file));
    assertEquals(
        file
            + " row 1: reward_model.ground_truth is empty; every question needs at least one"
            + " answer",
        e.getMessage());
  }

  @Test
  void aCorruptParquetFileIsAClearError() throws IOException {
    Path file = dir.resolve("broken.parquet");
    byte[] bytes = Files.readAllBytes(DEV);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    DatasetException e = assertThrows(DatasetException.class, () -> Datasets.readAll(file));
    assertTrue(e.getMessage().startsWith(file + ": not a readable parquet file"), e.getMessage());
  }

  private static String row(String truth) {
    return "{\"data_source\":\"nq\",\"prompt\":[{\"role\":\"user\",\"content\":\"q?\"}],"
        + "\"reward_model\":{\"ground_truth\":\""
        + truth
        + "\"}}";
  }

  private Path write(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, List.of(lines));
    return file;
  }
}
