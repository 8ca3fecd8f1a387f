package dev.deepresearcher.evaluate;

import java.util.List;
import java.util.Objects;

/**
 * One rollout ready to be scored.
 *
 * @param dataSource the benchmark it belongs to; metrics are reported per data source
 * @param question the question, for the judge
 * @param response the rollout's text; only what follows the last {@code <|im_start|>assistant}
 *     counts
 * @param groundTruths acceptable answers
 */
public record EvalItem(
    String dataSource, String question, String response, List<String> groundTruths) {
  public EvalItem {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(response, "response");
    groundTruths = List.copyOf(groundTruths);
  }
}
