package dev.deepresearcher.policy.bench;

import dev.deepresearcher.core.config.PolicyDevice;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.policy.Sampling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Runs batch-B greedy decodes in a loop, for profiling. */
public final class DecodeProbe {
  public static void main(String[] args) {
    int batch = Integer.parseInt(args[1]);
    int n = Integer.parseInt(args[2]);
    try (Policy policy = Policy.load(Path.of(args[0]), PolicyDevice.CPU, 2)) {
      SplittableRandom random = new SplittableRandom(1);
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
      System.out.printf("generate 129: %.1f ms, %.2f ms per token step%n", perCall, perCall / 129);
    }
  }
}
