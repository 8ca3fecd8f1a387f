package dev.deepresearcher.rollout;

import java.util.List;

/**
 * Questions for one rollout worker.
 *
 * @param prompts the questions
 * @param n trajectories per question
 * @param seed seed of the sampling: the same seed, weights and questions give the same trajectories
 * @param weightsVersion the policy version the caller expects; a worker holding an older one
 *     refuses (0 accepts the weights loaded from the model folder)
 * @param temperature the sampling temperature for this request (0 for greedy), or {@code null} for
 *     {@code rollout.temperature}: validation samples differently from training
 */
public record RolloutRequest(
    List<Prompt> prompts, int n, long seed, long weightsVersion, Double temperature) {
  public RolloutRequest {
    prompts = List.copyOf(prompts);
    if (temperature != null && !(temperature >= 0 && temperature <= 100)) {
      throw new IllegalArgumentException(
          "temperature " + temperature + " must be in [0, 100]; 0 is greedy decoding");
    }
    if (n < 1) {
      throw new IllegalArgumentException(
          "n is " + n + "; ask for at least one trajectory per question");
    }
  }

  /** A request sampling at {@code rollout.temperature}. */
  public RolloutRequest(List<Prompt> prompts, int n, long seed, long weightsVersion) {
    this(prompts, n, seed, weightsVersion, null);
  }
}
