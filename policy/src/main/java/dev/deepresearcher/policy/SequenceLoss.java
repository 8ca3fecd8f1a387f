package dev.deepresearcher.policy;

import ai.djl.ndarray.NDArray;

/**
 * The loss of one micro-batch, built from the policy's per-token log-probabilities (with gradients)
 * in DJL operations. The trainer averages the micro-batches' losses into the step.
 *
 * <pre>{@code
 * // Supervised fine-tuning: the mean negative log-likelihood of the target tokens.
 * SequenceLoss nll = in -> in.logprobs().mul(in.mask()).sum().neg().div(in.mask().sum());
 * }</pre>
 */
@FunctionalInterface
public interface SequenceLoss {
  /** A scalar loss. */
  NDArray loss(LossInputs in);

  /**
   * The mean negative log-likelihood of the micro-batch's target tokens: supervised fine-tuning's
   * loss.
   */
  static SequenceLoss meanNll() {
    return in -> in.logprobs().mul(in.mask()).sum().neg().div(in.mask().sum().maximum(1f));
  }
}
