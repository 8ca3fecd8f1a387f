package dev.deepresearcher.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepresearcher.core.testing.LocalRayCluster;
import dev.deepresearcher.trainer.internal.RunFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two GRPO steps of a small synthetic world on a real local Ray cluster: the rollout actors and the
 * reward actor in worker JVMs, the trainer in this (driver) process.
 */
@Tag("integration")
class TrainRunRayTest {
  static LocalRayCluster ray;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    ray = LocalRayCluster.start(6379, 8);
  }

  @AfterAll
  static void stop() throws Exception {
    ray.close();
  }

  @Test
  void twoGrpoStepsRunWithTheActorsInRayWorkerJvms() throws Exception {
    TinyWorld world = TinyWorld.create(dir.resolve("world"));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainRun.Summary s =
        TrainRun.run(
            world.config(
                "trainer.run_name=ray",
                "trainer.total_steps=2",
                "rollout.workers=2",
                "cluster.backend=ray",
                "cluster.address=" + ray.address(),
                "cluster.worker_jvm_options=[-Xmx1g]"),
            Map.of(),
            new PrintStream(log, true, StandardCharsets.UTF_8));
    String text = log.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("2 rollout worker(s) on ray"), text);
    assertEquals(2, s.steps());
    List<JsonNode> lines = RunFiles.metrics(s.runDir());
    assertEquals(2, lines.size());
    for (JsonNode line : lines) {
      assertEquals(4.0, line.path("trajectories").asDouble(), line.toString());
      assertTrue(line.path("weights_version").asDouble() >= 1, line.toString());
    }
  }
}
