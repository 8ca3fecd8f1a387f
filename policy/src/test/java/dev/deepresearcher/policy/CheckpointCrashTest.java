package dev.deepresearcher.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.config.PolicyConfig;
import dev.deepresearcher.core.config.PolicyDevice;
import dev.deepresearcher.core.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training process killed with SIGKILL while it saves leaves a checkpoint that loads, and that is
 * exactly the state after the step it names (replayed here from scratch): never half of one save
 * and half of another.
 */
class CheckpointCrashTest {
  static final PolicyConfig.Training SETTINGS = TrainingFixtures.full(1e-3, 2);
  static final long SEED = 5;

  @TempDir Path dir;

  @Test
  void killMinusNineMidSaveLeavesTheLastWholeCheckpoint() throws Exception {
    SplittableRandom random = new SplittableRandom(3);
    int midSave = 0;
    for (int attempt = 0; attempt < 6 && midSave < 2; attempt++) {
      Path checkpoint = dir.resolve("run" + attempt + "/checkpoint");
      Path progress = dir.resolve("progress" + attempt);
      Process child = start(checkpoint, progress);
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(progress)) {
          assertTrue(child.isAlive() && System.nanoTime() < deadline, "the child did not start");
          Thread.sleep(10);
        }
        Thread.sleep(random.nextInt(20, 400));
        child.destroyForcibly(); // SIGKILL
        child.waitFor(30, TimeUnit.SECONDS);
      } finally {
        child.destroyForcibly();
      }
      boolean duringSave = leftovers(checkpoint.getParent());
      if (duringSave) {
        midSave++;
      }
      try (PolicyTrainer resumed =
          PolicyTrainer.resume(checkpoint, SETTINGS, PolicyDevice.CPU, 1)) {
        long steps = resumed.steps();
        System.out.println(
            "kill "
                + attempt
                + (duringSave ? " during a save" : " between saves")
                + ": the checkpoint holds step "
                + steps);
        assertTrue(steps >= 1, "the checkpoint names its step");
        assertArrayEquals(
            replay(steps), TrainerTest.logits(resumed.policy()), 0f, "state after step " + steps);
      }
    }
    assertTrue(midSave >= 1, "no kill landed in the middle of a save; the test proved nothing");
  }

  /** Whether the kill left a temporary or moved-aside folder (it struck during a save). */
  private static boolean leftovers(Path parent) throws IOException {
    try (Stream<Path> files = Files.list(parent)) {
      return files.anyMatch(p -> p.getFileName().toString().startsWith(".checkpoint."));
    }
  }

  private static float[] replay(long steps) {
    try (Policy policy = Policy.load(TrainerTest.MODEL, PolicyDevice.CPU, 1);
        PolicyTrainer trainer = PolicyTrainer.create(policy, SETTINGS, SEED)) {
      List<TrainingSequence> batch = LoraTest.copyTask(policy, 2);
      for (long i = 0; i < steps; i++) {
        trainer.step(batch, TrainingFixtures.MEAN_NLL);
      }
      return TrainerTest.logits(policy);
    }
  }

  private Process start(Path checkpoint, Path progress) throws IOException {
    return ChildJvm.start(
        CheckpointChild.class,
        List.of(TrainerTest.MODEL.toString(), checkpoint.toString(), progress.toString()),
        dir.resolve("child.log"));
  }
}
