package dev.deepresearcher.trainer.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepresearcher.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The world's files: the corpus for the local index and the questions in DeepResearcher's layout.
 */
final class WorldFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private WorldFiles() {}

  /** JSON lines {@code {id, title, text, url}}. */
  static void corpus(Path file, List<SyntheticWorld.Document> docs) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (SyntheticWorld.Document d : docs) {
      ObjectNode o = JSON.createObjectNode();
      o.put("id", d.id());
      o.put("title", d.title());
      o.put("text", d.text());
      o.put("url", d.url());
      sb.append(JSON.writeValueAsString(o)).append('\n');
    }
    AtomicFiles.write(file, out -> out.write(sb.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /** The data source of a question kind, e.g. {@code world-birthplace}. */
  static String source(SyntheticWorld.Kind kind) {
    return "world-" + kind.name().toLowerCase(Locale.ROOT);
  }

  /** JSON lines in DeepResearcher's layout: data_source, prompt, reward_model, extra_info. */
  static void questions(Path file, List<SyntheticWorld.Question> questions) throws IOException {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    for (SyntheticWorld.Question q : questions) {
      ObjectNode o = JSON.createObjectNode();
      o.put("data_source", source(q.kind()));
      ObjectNode user = o.putArray("prompt").addObject();
      user.put("role", "user");
      user.put("content", q.text());
      o.put("ability", "fictional-research");
      ObjectNode reward = o.putObject("reward_model");
      reward.put("ground_truth", q.answer());
      reward.put("style", "rule");
      ObjectNode extra = o.putObject("extra_info");
      extra.put("index", i++);
      extra.put("question_id", q.id());
      sb.append(JSON.writeValueAsString(o)).append('\n');
    }
    AtomicFiles.write(file, out -> out.write(sb.toString().getBytes(StandardCharsets.UTF_8)));
  }
}
