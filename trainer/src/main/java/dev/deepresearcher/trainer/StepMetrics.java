package dev.deepresearcher.trainer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one GRPO step measured, in a stable order: rewards, F1, how trajectories ended, turns and
 * tool calls, lengths, the loss terms, the gradient norm and where the time went.
 *
 * @param step the step's number, from 1
 * @param values the named figures
 */
public record StepMetrics(long step, Map<String, Double> values) {
  public StepMetrics {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** A figure, or NaN when absent. */
  public double get(String name) {
    return values.getOrDefault(name, Double.NaN);
  }
}
