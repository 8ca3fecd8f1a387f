package dev.deepresearcher.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.data.Datasets;
import dev.deepresearcher.core.data.QaExample;
import dev.deepresearcher.core.testing.RunCli;
import dev.deepresearcher.core.testing.TestPaths;
import dev.deepresearcher.evaluate.cli.EvaluationDemo;
import dev.deepresearcher.evaluate.internal.DemoRollouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoRolloutsTest {
  @TempDir Path dir;

  @Test
  void theSameSeedGivesTheSameRolloutsAndAnotherSeedOthers() throws IOException {
    List<QaExample> data = Datasets.readAll(TestPaths.data("deepresearcher/dev.parquet"));
    assertEquals(DemoRollouts.generate(data, 7), DemoRollouts.generate(data, 7));
    assertNotEquals(DemoRollouts.generate(data, 7), DemoRollouts.generate(data, 8));
    var kinds = DemoRollouts.kinds(DemoRollouts.generate(data, 7));
    assertEquals(4, kinds.size(), "every kind of answer occurs: " + kinds);
  }

  @Test
  void theDemoWritesBothFormatsAndPrintsTheTable() throws IOException {
    RunCli.Result r = RunCli.run(new EvaluationDemo(), "run.output_dir=" + dir, "run.seed=3");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("data_source      n    F1 %    EM %   MBE %"), r.out());
    assertTrue(r.out().contains("overall        875"), r.out());
    try (Stream<Path> runs = Files.list(dir)) {
      Path run = runs.findFirst().orElseThrow();
      assertTrue(Files.exists(run.resolve("rollouts.json")));
      assertTrue(Files.exists(run.resolve("rollouts.jsonl")));
      assertTrue(Files.readString(run.resolve("score.json")).contains("\"overall\""));
    }
  }
}
