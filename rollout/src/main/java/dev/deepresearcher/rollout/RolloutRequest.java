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
 */
public record RolloutRequest(List<Prompt> prompts, int n, long seed, long weightsVersion) {
  public RolloutRequest {
    prompts = List.copyOf(prompts);
    if (n < 1) {
      throw new IllegalArgumentException(
          "n is " + n + "; ask for at least one trajectory per question");
    }
  }
}
