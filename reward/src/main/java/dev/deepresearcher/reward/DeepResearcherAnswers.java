package dev.deepresearcher.reward;

import dev.deepresearcher.reward.internal.DeepResearcherReward;
import java.util.Optional;

/**
 * The answer text that DeepResearcher's evaluation compares, for metrics that need more than a
 * score (the LLM judge sees the same normalised answer that F1 and EM compare).
 *
 * <pre>{@code
 * Optional<String> answer = DeepResearcherAnswers.finalAnswer(trajectory); // "paris" or empty
 * }</pre>
 */
public final class DeepResearcherAnswers {
  private DeepResearcherAnswers() {}

  /**
   * The first {@code <answer>} of the last assistant turn, lower-cased, with ASCII punctuation
   * turned into spaces and whitespace collapsed; empty when the format is broken (the evaluation
   * then scores 0).
   */
  public static Optional<String> finalAnswer(String response) {
    return DeepResearcherReward.evaluationAnswer(response);
  }

  /** A ground truth (or any text) normalised the way answers are before comparison. */
  public static String normalize(String text) {
    return DeepResearcherReward.normalize(text);
  }
}
