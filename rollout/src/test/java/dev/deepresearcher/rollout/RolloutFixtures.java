package dev.deepresearcher.rollout;

import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.core.testing.TestPaths;
import dev.deepresearcher.policy.ChatTemplate;
import dev.deepresearcher.policy.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The tiny model's tokenizer and template, a small corpus, and configurations for the tests. */
final class RolloutFixtures {
  static final String SHORT_SYSTEM = "Think in <think>, then call one tool or answer.";

  private RolloutFixtures() {}

  /** The tiny end-to-end model of the policy module's fixtures (tokenizer, Qwen2.5 template). */
  static Path tinyModel() {
    return TestPaths.root()
        .resolve("policy/src/test/resources/qwen2/qwen2_tiny_e2e_tied_v1024/model");
  }

  /**
   * A copy of the tiny model in {@code dir} with a longer context (its weights do not depend on
   * it), so that the system prompt and tool responses fit.
   */
  static Path tinyModelWithContext(Path dir, int context) {
    try {
      Files.createDirectories(dir);
      try (var files = Files.list(tinyModel())) {
        for (Path f : files.toList()) {
          Files.copy(f, dir.resolve(f.getFileName()));
        }
      }
      Path config = dir.resolve("config.json");
      String json = Files.readString(config);
      Files.writeString(
          config,
          json.replaceFirst(
              "\"max_position_embeddings\": \\d+", "\"max_position_embeddings\": " + context));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Tokenizer tokenizer() {
    return Tokenizer.load(tinyModel());
  }

  static ChatFormat format(Tokenizer tokenizer) {
    return new ChatFormat(
        tokenizer,
        ChatTemplate.load(tinyModel()),
        SHORT_SYSTEM,
        "<|im_end|>",
        ChatFormat.toolSchemas());
  }

  /** The test corpus, copied into {@code dir}. */
  static Path corpus(Path dir) {
    try (InputStream in = RolloutFixtures.class.getResourceAsStream("/rollout/corpus.jsonl")) {
      Files.createDirectories(dir);
      Path file = dir.resolve("corpus.jsonl");
      Files.copy(in, file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Defaults with a local handler over the test corpus in {@code dir}, plus {@code overrides}. */
  static DeepResearcherConfig config(Path dir, String... overrides) {
    List<String> all = new ArrayList<>();
    all.add("cache.path=" + dir.resolve("cache.db"));
    all.add("search.local.index=" + dir.resolve("index"));
    all.add("search.local.corpus=" + corpus(dir));
    all.add("browse.reader.offline_chars=400");
    all.add("rollout.search_top_k=3");
    all.add("rollout.max_total_tokens=4096");
    all.add("rollout.max_new_tokens=512");
    all.add("rollout.system_prompt=\"" + SHORT_SYSTEM + "\"");
    all.addAll(List.of(overrides));
    return ConfigLoader.load(null, all);
  }

  private static final Pattern URL = Pattern.compile("url: (\\S+)");

  /** The URLs of the last tool response in a conversation. */
  static List<String> urls(String conversation) {
    String last = lastToolResponse(conversation);
    List<String> out = new ArrayList<>();
    Matcher m = URL.matcher(last);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  static String lastToolResponse(String conversation) {
    int at = conversation.lastIndexOf("<tool_response>");
    return at < 0 ? "" : conversation.substring(at);
  }

  /** The user's question in a conversation. */
  static String question(String conversation) {
    int at = conversation.indexOf("<|im_start|>user\n");
    int end = conversation.indexOf("<|im_end|>", at);
    return conversation.substring(at + "<|im_start|>user\n".length(), end);
  }

  static String search(String... queries) {
    StringBuilder sb = new StringBuilder("<think>I should search.</think>\n<tool_call>\n");
    sb.append("{\"name\": \"web_search\", \"arguments\": {\"query\": [");
    for (int i = 0; i < queries.length; i++) {
      sb.append(i == 0 ? "" : ", ").append('"').append(queries[i]).append('"');
    }
    return sb.append("]}}\n</tool_call>").toString();
  }

  static String browse(String... urls) {
    StringBuilder sb = new StringBuilder("<think>I should read it.</think>\n<tool_call>\n");
    sb.append("{\"name\": \"browse_webpage\", \"arguments\": {\"url_list\": [");
    for (int i = 0; i < urls.length; i++) {
      sb.append(i == 0 ? "" : ", ").append('"').append(urls[i]).append('"');
    }
    return sb.append("]}}\n</tool_call>").toString();
  }

  static String answer(String a) {
    return "<think>I know it now.</think>\n<answer>" + a + "</answer>";
  }
}
