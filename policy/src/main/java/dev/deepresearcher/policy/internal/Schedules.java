package dev.deepresearcher.policy.internal;

import dev.deepresearcher.core.config.PolicyConfig;

/**
 * Learning rates over optimizer steps, as transformers' {@code get_*_schedule_with_warmup} (and
 * verl's cosine with a floor) compute them: step {@code n} (0 for the first update) gets {@code lr
 * · factor(n)}, with a linear warm-up {@code n / warmup} first — so the very first update of a
 * warm-up has rate 0, as there.
 */
public final class Schedules {
  private Schedules() {}

  /** The learning rate of update {@code step} (0-based). */
  public static double lr(PolicyConfig.Schedule s, double peak, long step) {
    int warmup = s.warmupSteps();
    if (step < warmup) {
      return peak * step / Math.max(1.0, warmup);
    }
    return switch (s.name()) {
      case CONSTANT -> peak;
      case LINEAR -> {
        double progress = progress(s, step);
        yield peak * (s.minLrRatio() + (1 - s.minLrRatio()) * (1 - progress));
      }
      case COSINE -> {
        double progress = progress(s, step);
        yield peak
            * (s.minLrRatio() + (1 - s.minLrRatio()) * 0.5 * (1 + Math.cos(Math.PI * progress)));
      }
    };
  }

  /** How far past the warm-up toward {@code total_steps}, clamped to [0, 1]. */
  private static double progress(PolicyConfig.Schedule s, long step) {
    double span = Math.max(1.0, s.totalSteps() - s.warmupSteps());
    return Math.min(1.0, Math.max(0.0, (step - s.warmupSteps()) / span));
  }
}
