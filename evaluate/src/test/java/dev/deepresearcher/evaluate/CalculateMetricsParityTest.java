package dev.deepresearcher.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.testing.RunCli;
import dev.deepresearcher.core.testing.TestPaths;
import dev.deepresearcher.evaluate.cli.CalculateMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * calculate-metrics on DeepResearcher-format rollouts of the whole dev set gives exactly the
 * per-dataset F1 and EM of DeepResearcher's evaluation rules, as computed by the Python reference
 * (tools/reference/metrics_reference.py).
 */
class CalculateMetricsParityTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  static Path unpack(String resource, Path dir) throws IOException {
    Path out = dir.resolve(resource.replace(".gz", ""));
    try (InputStream in =
        new GZIPInputStream(
            CalculateMetricsParityTest.class.getResourceAsStream("/reference/" + resource))) {
      Files.copy(in, out);
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev_rollouts", "dev_rollouts_tricky"})
  void perDatasetScoresEqualThePythonReference(String name) throws IOException {
    Path rollouts = unpack(name + ".json.gz", dir);
    Path out = dir.resolve("score.json");
    RunCli.Result r =
        RunCli.run(
            new CalculateMetrics(Map.of()),
            "--data",
            TestPaths.data("deepresearcher/dev.parquet").toString(),
            "--rollouts",
            rollouts.toString(),
            "--out",
            out.toString());
    assertEquals(0, r.exitCode(), r.err());
    JsonNode got = JSON.readTree(out.toFile());
    JsonNode want;
    try (InputStream in = getClass().getResourceAsStream("/reference/expected_" + name + ".json")) {
      want = JSON.readTree(in);
    }
    List<String> mismatches = new ArrayList<>();
    int total = 0;
    for (var it = want.fields(); it.hasNext(); ) {
      var e = it.next();
      JsonNode g = got.get(e.getKey());
      if (g == null) {
        mismatches.add("missing " + e.getKey());
        continue;
      }
      for (String metric : List.of("f1", "em")) {
        double a = g.get(metric).asDouble();
        double b = e.getValue().get(metric).asDouble();
        if (Math.abs(a - b) > 1e-12) {
          mismatches.add(e.getKey() + " " + metric + ": " + a + " != " + b);
        }
      }
      assertEquals(e.getValue().get("n").asInt(), g.get("n").asInt());
      assertTrue(g.get("mbe").isNull(), "no judge, no MBE");
      total += g.get("n").asInt();
    }
    assertEquals(List.of(), mismatches);
    assertEquals(want.size() + 1, got.size(), "every source plus the overall row");
    assertEquals(875, got.get("overall").get("n").asInt());
    assertEquals(875, total);
    assertTrue(r.out().contains("overall        875"), r.out());
  }
}
