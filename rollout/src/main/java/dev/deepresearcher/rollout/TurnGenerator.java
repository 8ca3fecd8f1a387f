package dev.deepresearcher.rollout;

import dev.deepresearcher.policy.Generation;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.policy.Sampling;
import java.util.List;

/**
 * What the agent loop needs of a policy: continue a batch of token sequences, each from its own
 * seeded stream. {@link Policy} is one ({@link #of(Policy)}); tests drive the loop with scripted
 * emitters behind the same interface.
 */
public interface TurnGenerator {
  /**
   * Continues every prompt until an end-of-sequence token or {@code sampling.maxNewTokens()}.
   *
   * @param seeds one sampling seed per prompt
   */
  List<Generation> generate(List<int[]> prompts, Sampling sampling, long[] seeds);

  /** The longest sequence the model accepts, prompt and new tokens together. */
  int contextLength();

  /** The policy, as a generator. */
  static TurnGenerator of(Policy policy) {
    return new TurnGenerator() {
      @Override
      public List<Generation> generate(List<int[]> prompts, Sampling sampling, long[] seeds) {
        return policy.generate(prompts, sampling, seeds);
      }

      @Override
      public int contextLength() {
        return policy.config().maxPositionEmbeddings();
      }
    };
  }
}
