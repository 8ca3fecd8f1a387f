package dev.deepresearcher.policy.bench;

import dev.deepresearcher.core.config.PolicyDevice;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.policy.PolicyBenchAccess;
import dev.deepresearcher.policy.Sampling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The policy's speed on the CPU, measured exactly as tools/reference/policy_peer.py measures
 * transformers (see there for the model and the workloads): prefill tok/s of one 512-token prompt,
 * and decode tok/s at batch 1 and 16 ({@code B*128 / (t(129 new) - t(1 new))}). Median of the given
 * repetitions after one warm-up. Prints one JSON line.
 *
 * <pre>
 * scripts/bench policy --main dev.deepresearcher.policy.bench.PolicyBench /tmp/qwen2-bench 2 [reps]
 * </pre>
 */
public final class PolicyBench {
  private PolicyBench() {}

  interface Work {
    void run();
  }

  static double timed(Work work, int reps) {
    work.run();
    double[] times = new double[reps];
    for (int i = 0; i < reps; i++) {
      long start = System.nanoTime();
      work.run();
      times[i] = (System.nanoTime() - start) / 1e9;
    }
    Arrays.sort(times);
    return reps % 2 == 1 ? times[reps / 2] : (times[reps / 2 - 1] + times[reps / 2]) / 2;
  }

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    SplittableRandom random = new SplittableRandom(1);
    try (Policy policy = Policy.load(dir, PolicyDevice.CPU, threads)) {
      StringBuilder json = new StringBuilder();
      json.append(
          String.format(
              Locale.ROOT, "{\"peer\": \"deepresearcher-jvm\", \"threads\": %d", threads));
      int[] prompt = random.ints(512, 0, 1000).toArray();
      double prefill = timed(() -> PolicyBenchAccess.prefill(policy, prompt), reps);
      json.append(String.format(Locale.ROOT, ", \"prefill_tok_s\": %.1f", 512 / prefill));
      for (int batch : new int[] {1, 16}) {
        List<int[]> prompts = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
          prompts.add(random.ints(32, 0, 1000).toArray());
        }
        double t1 = timed(() -> policy.generate(prompts, Sampling.greedy(1)), reps);
        double t129 = timed(() -> policy.generate(prompts, Sampling.greedy(129)), reps);
        json.append(
            String.format(
                Locale.ROOT, ", \"decode_b%d_tok_s\": %.1f", batch, batch * 128 / (t129 - t1)));
      }
      System.out.println(json.append("}"));
    }
  }
}
