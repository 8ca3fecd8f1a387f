package dev.deepresearcher.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.actor.ActorRuntime;
import dev.deepresearcher.core.actor.ActorRuntimes;
import dev.deepresearcher.core.config.ActorBackend;
import dev.deepresearcher.core.config.ClusterConfig;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.core.testing.LocalRayCluster;
import dev.deepresearcher.search.SearchHandlers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiny model's real loop on a real local Ray cluster, the rollout actors in worker JVMs. */
@Tag("integration")
class RolloutRayTest {
  static LocalRayCluster ray;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    ray = LocalRayCluster.start(6379, 8);
  }

  @AfterAll
  static void stop() throws Exception {
    ray.close();
  }

  @Test
  void tinyModelRunsTheRealLoopOnRayWorkersAndGivesWhatItGivesInProcess() {
    Path model = RolloutFixtures.tinyModelWithContext(dir.resolve("model"), 2048);
    DeepResearcherConfig c =
        RolloutFixtures.config(
            dir, "rollout.max_new_tokens=32", "rollout.max_total_tokens=1500", "rollout.workers=2");
    try (SearchHandlers.Connection handlers = SearchHandlers.connect(c, Map.of())) {
      RolloutWorker.Init init = RolloutActorsTest.init(model, handlers, c);
      RolloutResult onRay;
      try (ActorRuntime runtime =
          ActorRuntimes.create(
              new ClusterConfig(ActorBackend.RAY, ray.address(), null, List.of("-Xmx1g"), false))) {
        RolloutPool pool = RolloutPool.start(runtime, init);
        long driver = ProcessHandle.current().pid();
        for (int i = 0; i < pool.workers().size(); i++) {
          assertNotEquals(driver, pool.workers().get(i).call(RolloutWorker::pid).join());
        }
        onRay = pool.run(RolloutActorsTest.prompts(), 2, 5);
      }
      RolloutResult inProcess;
      try (ActorRuntime runtime = ActorRuntimes.inProcess()) {
        inProcess = RolloutPool.start(runtime, init).run(RolloutActorsTest.prompts(), 2, 5);
      }
      assertEquals(4, onRay.trajectories().size());
      assertTrue(onRay.trajectories().stream().allMatch(t -> t.sampledTokens() > 0));
      assertEquals(RolloutActorsTest.content(inProcess), RolloutActorsTest.content(onRay));
    }
  }
}
