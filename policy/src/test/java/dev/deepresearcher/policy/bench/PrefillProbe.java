package dev.deepresearcher.policy.bench;

import dev.deepresearcher.core.config.PolicyDevice;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.policy.PolicyBenchAccess;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Runs prefills in a loop, for profiling. */
public final class PrefillProbe {
  public static void main(String[] args) {
    try (Policy policy = Policy.load(Path.of(args[0]), PolicyDevice.CPU, 2)) {
      int[] prompt = new SplittableRandom(1).ints(512, 0, 1000).toArray();
      for (int i = 0; i < 5; i++) {
        PolicyBenchAccess.prefill(policy, prompt);
      }
      long start = System.nanoTime();
      int n = Integer.parseInt(args[1]);
      for (int i = 0; i < n; i++) {
        PolicyBenchAccess.prefill(policy, prompt);
      }
      System.out.printf("prefill %.1f ms%n", (System.nanoTime() - start) / 1e6 / n);
    }
  }
}
