package dev.deepresearcher.evaluate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.testing.RunCli;
import dev.deepresearcher.core.testing.TestPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/evaluate.sh} then {@code scripts/calculate-metrics} on hotpotqa-100 with its local
 * corpus as the search backend, the policy a tiny Qwen2 model.
 */
class EvaluateTest {
  @TempDir Path dir;

  /** The policy module's tiny model with a context long enough for the system prompt. */
  Path model() throws IOException {
    Path src =
        TestPaths.root().resolve("policy/src/test/resources/qwen2/qwen2_tiny_e2e_tied_v1024/model");
    Path out = Files.createDirectories(dir.resolve("model"));
    try (Stream<Path> files = Files.list(src)) {
      for (Path f : files.toList()) {
        Files.copy(f, out.resolve(f.getFileName()));
      }
    }
    Path config = out.resolve("config.json");
    Files.writeString(
        config,
        Files.readString(config)
            .replaceFirst(
                "\"max_position_embeddings\": \\d+", "\"max_position_embeddings\": 2048"));
    return out;
  }

  String[] args(Path model, Path out, String... more) {
    List<String> a =
        new java.util.ArrayList<>(
            List.of(
                "--model",
                model.toString(),
                "--data",
                TestPaths.data("hotpotqa-100/questions.jsonl").toString(),
                "--out",
                out.toString(),
                "search.local.corpus=" + TestPaths.data("hotpotqa-100/corpus.jsonl"),
                "search.local.index=" + dir.resolve("index"),
                "cache.path=" + dir.resolve("cache.db"),
                "rollout.max_new_tokens=12",
                "rollout.max_total_tokens=1500",
                "rollout.system_prompt=Answer the question.",
                "policy.device=cpu"));
    a.addAll(0, List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void evaluateWritesRolloutsThatCalculateMetricsScoresPerDataSource() throws IOException {
    Path model = model();
    Path out = dir.resolve("eval/rollouts.jsonl");
    RunCli.Result r =
        RunCli.run(
            new Evaluate(),
            args(model, out, "--greedy", "--limit", "5", "--deepresearcher-format"));
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("5 rollouts in"), r.err());
    List<String> lines = Files.readAllLines(out);
    assertEquals(5, lines.size());
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    assertEquals("hotpotqa", first.get("data_source").asText());
    assertTrue(first.get("response").asText().startsWith("<|im_start|>system"));
    JsonNode dr = json.readTree(out.resolveSibling("deepresearcher_result.json").toFile());
    assertEquals(5, dr.size());
    assertTrue(dr.get(0).has("message_str"));

    RunCli.Result metrics =
        RunCli.run(
            new CalculateMetrics(),
            "--data",
            TestPaths.data("hotpotqa-100/questions.jsonl").toString(),
            "--rollouts",
            out.toString(),
            "--out",
            dir.resolve("score.json").toString());
    assertEquals(0, metrics.exitCode(), metrics.err());
    assertTrue(metrics.out().contains("hotpotqa"), metrics.out());
    assertTrue(json.readTree(dir.resolve("score.json").toFile()).has("overall"));
  }

  @Test
  void userMistakesExitOneWithTheFixAndNoTrace() throws IOException {
    Path model = model();
    Path out = dir.resolve("x.jsonl");
    RunCli.Result both =
        RunCli.run(new Evaluate(), args(model, out, "--greedy", "--temperature", "0.7"));
    assertEquals(1, both.exitCode());
    assertTrue(both.err().contains("give --greedy or --temperature, not both"), both.err());
    RunCli.Result notModel = RunCli.run(new Evaluate(), args(dir, out));
    assertEquals(1, notModel.exitCode());
    assertTrue(notModel.err().contains("neither a Hugging Face model folder"), notModel.err());
    assertFalse(notModel.err().contains("\tat "), "no stack trace");
    RunCli.Result drMany =
        RunCli.run(new Evaluate(), args(model, out, "--n", "2", "--deepresearcher-format"));
    assertEquals(1, drMany.exitCode());
    assertTrue(drMany.err().contains("use --n 1"), drMany.err());
  }
}
