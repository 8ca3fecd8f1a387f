package dev.deepresearcher.trainer.demo;

import dev.deepresearcher.policy.TrainingSequence;
import dev.deepresearcher.rollout.Trajectory;
import java.util.Arrays;

/** Training sequences cut from demonstrations. */
final class Demonstrations {
  private Demonstrations() {}

  /**
   * The trajectory cut after its first turn (after the turn's end-of-turn token): the prompt and
   * the first turn; {@code null} when it has no sampled token.
   */
  static TrainingSequence firstTurn(Trajectory t) {
    boolean[] mask = t.lossMask();
    for (int i = t.promptTokens(); i < mask.length; i++) {
      if (mask[i] && (i + 1 == mask.length || !mask[i + 1])) {
        return cut(t, i + 1);
      }
    }
    return null;
  }

  /**
   * The whole trajectory up to its last sampled token (a trajectory cut off after a tool response
   * loses the response, which carries no loss); {@code null} when it has no sampled token.
   */
  static TrainingSequence whole(Trajectory t) {
    boolean[] mask = t.lossMask();
    for (int i = mask.length - 1; i >= t.promptTokens(); i--) {
      if (mask[i]) {
        return cut(t, i + 1);
      }
    }
    return null;
  }

  private static TrainingSequence cut(Trajectory t, int length) {
    return new TrainingSequence(
        Arrays.copyOf(t.ids(), length), Arrays.copyOf(t.lossMask(), length));
  }
}
