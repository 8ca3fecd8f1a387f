package dev.deepresearcher.policy;

import dev.deepresearcher.core.config.PolicyDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A training process for {@link CheckpointCrashTest}: trains the tiny model step after step and
 * saves a checkpoint into the same folder after every step, until it is killed. Writes the number
 * of the last finished save to a file.
 */
public final class CheckpointChild {
  private CheckpointChild() {}

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args[0]);
    Path checkpoint = Path.of(args[1]);
    Path progress = Path.of(args[2]);
    try (Policy policy = Policy.load(model, PolicyDevice.CPU, 1);
        PolicyTrainer trainer =
            PolicyTrainer.create(policy, CheckpointCrashTest.SETTINGS, CheckpointCrashTest.SEED)) {
      List<TrainingSequence> batch = LoraTest.copyTask(policy, 2);
      for (int i = 1; ; i++) {
        trainer.step(batch, TrainingFixtures.MEAN_NLL);
        trainer.save(checkpoint);
        Files.writeString(progress, Integer.toString(i));
      }
    }
  }
}
