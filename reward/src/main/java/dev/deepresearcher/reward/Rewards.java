package dev.deepresearcher.reward;

import dev.deepresearcher.core.config.RewardName;
import dev.deepresearcher.reward.internal.DeepResearcherReward;
import dev.deepresearcher.reward.internal.SquadReward;

/**
 * Builds reward functions by name.
 *
 * <pre>{@code
 * RewardFunction f1 = Rewards.create(RewardName.DEEPRESEARCHER_F1);
 * RewardFunction eval = Rewards.deepResearcherEvaluation(Rewards.Metric.F1);
 * }</pre>
 */
public final class Rewards {
  /** What a DeepResearcher-style score measures. */
  public enum Metric {
    /** Word-set F1. */
    F1,
    /** Exact match after normalisation. */
    EM
  }

  private Rewards() {}

  /** The reward configured as {@code reward.name}. */
  public static RewardFunction create(RewardName name) {
    return switch (name) {
      case DEEPRESEARCHER_F1 -> DeepResearcherReward.training(Metric.F1);
      case DEEPRESEARCHER_EM -> DeepResearcherReward.training(Metric.EM);
      case SQUAD_F1 -> new SquadReward(Metric.F1);
      case SQUAD_EM -> new SquadReward(Metric.EM);
    };
  }

  /**
   * The reward named {@code name} ({@code deepresearcher-f1}, {@code deepresearcher-em}, {@code
   * squad-f1} or {@code squad-em}).
   *
   * @throws RewardException listing the names when {@code name} is none of them
   */
  public static RewardFunction byName(String name) {
    try {
      return create(RewardName.fromConfigName(name));
    } catch (IllegalArgumentException e) {
      throw new RewardException(e.getMessage(), e);
    }
  }

  /**
   * DeepResearcher's evaluation scoring, as its {@code calculate_metrics} script applies it: only
   * the text after the last {@code <|im_start|>assistant} counts, and a broken format scores 0
   * instead of −1.
   */
  public static RewardFunction deepResearcherEvaluation(Metric metric) {
    return DeepResearcherReward.evaluation(metric);
  }
}
