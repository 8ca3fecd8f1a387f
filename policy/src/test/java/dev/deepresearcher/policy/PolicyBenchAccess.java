package dev.deepresearcher.policy;

/** Lets the benchmark time a prefill alone (the model's forward pass is not public API). */
public final class PolicyBenchAccess {
  private PolicyBenchAccess() {}

  /** One forward pass over {@code prompt}, logits of the last position only. */
  public static void prefill(Policy policy, int[] prompt) {
    policy.prefillForBenchmark(prompt);
  }
}
