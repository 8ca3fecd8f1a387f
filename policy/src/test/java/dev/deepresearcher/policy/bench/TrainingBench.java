package dev.deepresearcher.policy.bench;

import dev.deepresearcher.core.config.LrSchedule;
import dev.deepresearcher.core.config.PolicyConfig;
import dev.deepresearcher.core.config.PolicyDevice;
import dev.deepresearcher.core.config.TrainingMode;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.policy.PolicyBenchAccess;
import dev.deepresearcher.policy.PolicyTrainer;
import dev.deepresearcher.policy.SequenceLoss;
import dev.deepresearcher.policy.TrainingSequence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Training speed on the CPU, measured as tools/reference/training_reference.py measures
 * transformers + torch autograd: one optimizer step (forward, backward, clipping, AdamW) on B
 * random sequences of L tokens, the loss the mean next-token NLL; median of the repetitions after a
 * warm-up. Prints one JSON line.
 *
 * <pre>
 * scripts/bench policy --main dev.deepresearcher.policy.bench.TrainingBench /tmp/qwen2-bench 2 5 full 4 256
 * </pre>
 */
public final class TrainingBench {
  private TrainingBench() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    int reps = Integer.parseInt(args[2]);
    TrainingMode mode = TrainingMode.valueOf(args[3].toUpperCase(Locale.ROOT));
    int batch = Integer.parseInt(args[4]);
    int length = Integer.parseInt(args[5]);
    PolicyConfig.Training settings =
        new PolicyConfig.Training(
            mode,
            batch,
            new PolicyConfig.Lora(
                16,
                32,
                0,
                List.of(
                    "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")),
            new PolicyConfig.Optimizer(1e-5, 0.9, 0.999, 1e-8, 0.01, 1.0),
            new PolicyConfig.Schedule(LrSchedule.CONSTANT, 0, null, 0));
    SplittableRandom random = new SplittableRandom(1);
    List<TrainingSequence> data = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      boolean[] mask = new boolean[length];
      Arrays.fill(mask, 1, length, true);
      data.add(new TrainingSequence(random.ints(length, 0, 1000).toArray(), mask));
    }
    try (Policy policy = Policy.load(dir, PolicyDevice.CPU, threads);
        PolicyTrainer trainer = PolicyTrainer.create(policy, settings, 1)) {
      trainer.step(data, SequenceLoss.meanNll());
      double[] times = new double[reps];
      for (int i = 0; i < reps; i++) {
        long start = System.nanoTime();
        trainer.step(data, SequenceLoss.meanNll());
        times[i] = (System.nanoTime() - start) / 1e9;
      }
      Arrays.sort(times);
      double median = times[reps / 2];
      double[] fb = new double[reps];
      for (int i = 0; i < reps; i++) {
        long start = System.nanoTime();
        PolicyBenchAccess.forwardBackward(trainer, data);
        fb[i] = (System.nanoTime() - start) / 1e9;
      }
      Arrays.sort(fb);
      System.err.printf(
          Locale.ROOT, "forward+backward %.3f s of a %.3f s step%n", fb[reps / 2], median);
      System.out.printf(
          Locale.ROOT,
          "{\"peer\": \"deepresearcher-jvm\", \"mode\": \"%s\", \"threads\": %d, \"batch\": %d,"
              + " \"length\": %d, \"step_s\": %.4f, \"train_tok_s\": %.1f}%n",
          args[3],
          threads,
          batch,
          length,
          median,
          batch * length / median);
    }
  }
}
