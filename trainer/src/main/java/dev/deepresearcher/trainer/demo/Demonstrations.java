package dev.deepresearcher.trainer.demo;

import dev.deepresearcher.policy.TrainingSequence;
import dev.deepresearcher.rollout.Trajectory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Training sequences cut from demonstrations. */
final class Demonstrations {
  private Demonstrations() {}

  /**
   * The trajectory cut after each of its turns (after the turn's end-of-turn token), shortest
   * first: the first holds the prompt and the first turn, the last the whole trajectory up to its
   * last sampled token.
   */
  static List<TrainingSequence> prefixes(Trajectory t) {
    List<TrainingSequence> out = new ArrayList<>();
    int[] ids = t.ids();
    boolean[] mask = t.lossMask();
    for (int i = t.promptTokens(); i < ids.length; i++) {
      if (mask[i] && (i + 1 == ids.length || !mask[i + 1])) {
        out.add(new TrainingSequence(Arrays.copyOf(ids, i + 1), Arrays.copyOf(mask, i + 1)));
      }
    }
    return out;
  }
}
