package dev.deepresearcher.policy.bench;

import dev.deepresearcher.core.config.PolicyDevice;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.policy.PolicyBenchAccess;
import dev.deepresearcher.policy.Sampling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One workload in a loop, to run under a profiler (e.g. with {@code
 * JAVA_OPTS=-XX:StartFlightRecording=filename=p.jfr,settings=profile}, then {@code jfr print
 * --events jdk.NativeMethodSample p.jfr}: PyTorch's time shows as native samples per JNI call).
 *
 * <pre>
 * scripts/bench policy --main dev.deepresearcher.policy.bench.PolicyProbe DIR prefill 40
 * scripts/bench policy --main dev.deepresearcher.policy.bench.PolicyProbe DIR decode 16 5
 * </pre>
 */
public final class PolicyProbe {
  private PolicyProbe() {}

  public static void main(String[] args) {
    SplittableRandom random = new SplittableRandom(1);
    try (Policy policy = Policy.load(Path.of(args[0]), PolicyDevice.CPU, 2)) {
      if (args[1].equals("prefill")) {
        int n = Integer.parseInt(args[2]);
        int[] prompt = random.ints(512, 0, 1000).toArray();
        for (int i = 0; i < 5; i++) {
          PolicyBenchAccess.prefill(policy, prompt);
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          PolicyBenchAccess.prefill(policy, prompt);
        }
        System.out.printf(
            Locale.ROOT, "prefill of 512 tokens: %.1f ms%n", (System.nanoTime() - start) / 1e6 / n);
        return;
      }
      int batch = Integer.parseInt(args[2]);
      int n = Integer.parseInt(args[3]);
      List<int[]> prompts = new ArrayList<>();
      for (int b = 0; b < batch; b++) {
        prompts.add(random.ints(32, 0, 1000).toArray());
      }
      policy.generate(prompts, Sampling.greedy(129));
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        policy.generate(prompts, Sampling.greedy(129));
      }
      double perCall = (System.nanoTime() - start) / 1e6 / n;
      System.out.printf(
          Locale.ROOT,
          "batch %d, 129 tokens: %.1f ms, %.2f ms per step%n",
          batch,
          perCall,
          perCall / 129);
    }
  }
}
