package dev.deepresearcher.policy.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.policy.ChatTemplate;
import dev.deepresearcher.policy.PolicyException;
import dev.deepresearcher.policy.Tokenizer;
import dev.deepresearcher.policy.TrainingSequence;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conversations become sequences whose targets are exactly the assistant's tokens. */
class ConversationsTest {
  static Tokenizer tokenizer;
  static ChatTemplate template;

  static Path resource(String name) {
    try {
      return Path.of(ConversationsTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void load() {
    Path model = resource("/qwen2/qwen2_tiny_e2e_tied_v1024/model");
    tokenizer = Tokenizer.load(model);
    template = ChatTemplate.load(model);
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  /** The text of the target tokens, each maximal run of them separated by "|". */
  static String targets(TrainingSequence s) {
    StringBuilder sb = new StringBuilder();
    List<Integer> run = new ArrayList<>();
    int[] ids = s.ids();
    boolean[] mask = s.lossMask();
    for (int i = 0; i <= ids.length; i++) {
      if (i < ids.length && mask[i]) {
        run.add(ids[i]);
      } else if (!run.isEmpty()) {
        sb.append(sb.length() == 0 ? "" : "|")
            .append(tokenizer.decode(run.stream().mapToInt(Integer::intValue).toArray(), false));
        run.clear();
      }
    }
    return sb.toString();
  }

  @Test
  void onlyTheAssistantsTextAndEndOfTurnAreTargets() throws IOException {
    Conversations.Conversation c =
        new Conversations.Conversation(
            1,
            List.of(
                Map.of("role", "system", "content", "Be brief."),
                Map.of("role", "user", "content", "What is 2+2?"),
                Map.of("role", "assistant", "content", "<think>easy</think><answer>4</answer>"),
                Map.of("role", "user", "content", "And 3+3?"),
                Map.of("role", "assistant", "content", "6")),
            List.of());
    TrainingSequence s = Conversations.encode(c, template, tokenizer, 4096);
    assertEquals("<think>easy</think><answer>4</answer><|im_end|>|6<|im_end|>", targets(s));
    String rendered = tokenizer.decode(s.ids(), false);
    assertTrue(rendered.startsWith("<|im_start|>system\nBe brief."), rendered);
  }

  @Test
  void cutToMaxLengthKeepsTheTargetsThatFitAndDropsWhatHasNone() throws IOException {
    List<Conversations.Conversation> data = Conversations.read(resource("/sft/copy_task.jsonl"));
    assertEquals(24, data.size());
    TrainingSequence whole = Conversations.encode(data.get(0), template, tokenizer, 4096);
    int firstTarget = 0;
    while (!whole.lossMask()[firstTarget]) {
      firstTarget++;
    }
    TrainingSequence cut = Conversations.encode(data.get(0), template, tokenizer, firstTarget + 1);
    assertEquals(firstTarget + 1, cut.length());
    assertEquals(1, cut.targets());
    assertNull(Conversations.encode(data.get(0), template, tokenizer, firstTarget));
  }

  @Test
  void badLinesAreRefusedWithTheirNumber(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(
        file,
        "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\","
            + " \"content\": \"yo\"}]}\n\n{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n");
    PolicyException e = assertThrows(PolicyException.class, () -> Conversations.read(file));
    assertTrue(e.getMessage().contains("bad.jsonl:3: has no assistant message"), e.getMessage());
    Files.writeString(file, "{\"messages\": [{\"role\": \"bot\", \"content\": \"hi\"}]}\n");
    e = assertThrows(PolicyException.class, () -> Conversations.read(file));
    assertTrue(e.getMessage().contains("role 'bot'"), e.getMessage());
    Files.writeString(file, "not json\n");
    e = assertThrows(PolicyException.class, () -> Conversations.read(file));
    assertTrue(e.getMessage().contains("bad.jsonl:1: not valid JSON"), e.getMessage());
  }
}
