package dev.deepresearcher.policy;

import java.util.List;

/** Lets the benchmark time a prefill alone (the model's forward pass is not public API). */
public final class PolicyBenchAccess {
  private PolicyBenchAccess() {}

  /** Forward and backward passes of a training step, without the update (then zeroed). */
  public static void forwardBackward(PolicyTrainer trainer, List<TrainingSequence> batch) {
    trainer.accumulate(batch, SequenceLoss.meanNll(), trainer.steps());
    trainer.zeroGradients();
  }

  /** One forward pass over {@code prompt}, logits of the last position only. */
  public static void prefill(Policy policy, int[] prompt) {
    policy.prefillForBenchmark(prompt);
  }
}
