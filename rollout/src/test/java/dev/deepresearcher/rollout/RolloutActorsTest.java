package dev.deepresearcher.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.actor.ActorCallException;
import dev.deepresearcher.core.actor.ActorRuntime;
import dev.deepresearcher.core.actor.ActorRuntimes;
import dev.deepresearcher.core.config.ActorBackend;
import dev.deepresearcher.core.config.ClusterConfig;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.core.config.PolicyDevice;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.policy.PolicyTrainer;
import dev.deepresearcher.policy.SequenceLoss;
import dev.deepresearcher.policy.TrainingSequence;
import dev.deepresearcher.search.SearchHandlers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny fixture model runs the real loop on rollout actors (in this process, every message
 * round-tripped through the encoder as it would cross to a worker JVM), with the real handler.
 */
class RolloutActorsTest {
  @TempDir Path dir;

  static RolloutWorker.Init init(
      Path model, SearchHandlers.Connection handlers, DeepResearcherConfig c) {
    return new RolloutWorker.Init(
        model.toString(),
        PolicyDevice.CPU,
        1,
        handlers.client().replicas().stream().map(Object::toString).toList(),
        null,
        c.handler().clientTimeout(),
        c.rollout());
  }

  static List<Prompt> prompts() {
    return List.of(
        new Prompt("q1", "Where was Zorvath Kelmire born?", "test", List.of("Quellon")),
        new Prompt("q2", "Who founded the Brask Observatory?", "test", List.of("Mira Tallow")));
  }

  @Test
  void tinyModelRunsTheRealLoopOnRolloutActorsAndSamplesExactlyWhatItTrainsOn() {
    Path model = RolloutFixtures.tinyModelWithContext(dir.resolve("model"), 2048);
    DeepResearcherConfig c =
        RolloutFixtures.config(
            dir, "rollout.max_new_tokens=48", "rollout.max_total_tokens=1500", "rollout.workers=2");
    try (SearchHandlers.Connection handlers = SearchHandlers.connect(c, Map.of());
        ActorRuntime runtime =
            ActorRuntimes.create(
                new ClusterConfig(ActorBackend.IN_PROCESS, null, null, List.of(), true))) {
      RolloutPool pool = RolloutPool.start(runtime, init(model, handlers, c));
      RolloutResult first = pool.run(prompts(), 3, 11);
      RolloutResult again = pool.run(prompts(), 3, 11);
      assertEquals(6, first.trajectories().size());
      assertEquals(content(first), content(again), "same seed, same trajectories");
      assertNotEquals(
          first.trajectories().get(0).text(),
          first.trajectories().get(1).text(),
          "samples of one question differ");
      List<TrainingSequence> sequences = new ArrayList<>();
      for (Trajectory t : first.trajectories()) {
        assertTrue(t.sampledTokens() > 0, t.toString());
        sequences.add(t.trainingSequence());
      }
      // The trainer's log-probabilities of the sampled tokens are the sampling ones: what was
      // sampled is exactly what is trained on.
      try (Policy policy = Policy.load(model, PolicyDevice.CPU, 1);
          PolicyTrainer trainer = PolicyTrainer.create(policy, c.policy().training(), 1)) {
        List<float[]> recomputed = trainer.logprobs(sequences, false);
        for (int s = 0; s < sequences.size(); s++) {
          Trajectory t = first.trajectories().get(s);
          float[] old = t.oldLogprobs();
          boolean[] mask = t.lossMask();
          for (int j = 0; j < old.length; j++) {
            if (mask[j + 1]) {
              assertEquals(old[j], recomputed.get(s)[j], 2e-4, t.id() + " token " + (j + 1));
            }
          }
        }
      }
    }
  }

  /** What a trajectory holds apart from its timings. */
  static List<String> content(RolloutResult r) {
    List<String> out = new ArrayList<>();
    for (Trajectory t : r.trajectories()) {
      out.add(
          t.id()
              + java.util.Arrays.toString(t.ids())
              + java.util.Arrays.toString(t.lossMask())
              + java.util.Arrays.toString(t.logprobs())
              + t.text()
              + t.end());
    }
    return out;
  }

  @Test
  void workerRefusesToGenerateWithStaleWeightsUntilTheUpdateArrives() {
    Path model = RolloutFixtures.tinyModelWithContext(dir.resolve("model"), 2048);
    DeepResearcherConfig c =
        RolloutFixtures.config(dir, "rollout.max_new_tokens=8", "rollout.max_total_tokens=1500");
    try (SearchHandlers.Connection handlers = SearchHandlers.connect(c, Map.of());
        ActorRuntime runtime = ActorRuntimes.inProcess()) {
      RolloutPool pool = RolloutPool.start(runtime, init(model, handlers, c));
      CompletionException e =
          assertThrows(
              CompletionException.class,
              () ->
                  pool.workers()
                      .get(0)
                      .call(RolloutWorker::generate, new RolloutRequest(prompts(), 1, 1, 1))
                      .join());
      ActorCallException call = assertInstanceOf(ActorCallException.class, e.getCause());
      assertTrue(call.getMessage().contains("holds policy weights version 0"), call.getMessage());
      assertTrue(call.getMessage().contains("push the new weights"), call.getMessage());

      try (Policy policy = Policy.load(model, PolicyDevice.CPU, 1);
          PolicyTrainer trainer = PolicyTrainer.create(policy, c.policy().training(), 1)) {
        int[] ids = {1, 2, 3, 4, 5, 6};
        boolean[] mask = {false, true, true, true, true, true};
        trainer.step(List.of(new TrainingSequence(ids, mask)), SequenceLoss.meanNll());
        assertEquals(1L, pool.pushWeights(trainer.exportWeights()));
      }
      RolloutResult r =
          pool.workers()
              .get(0)
              .call(RolloutWorker::generate, new RolloutRequest(prompts(), 1, 1, 1))
              .join();
      assertEquals(1L, r.trajectories().get(0).weightsVersion());
    }
  }
}
