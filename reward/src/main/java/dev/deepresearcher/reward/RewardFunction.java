package dev.deepresearcher.reward;

import java.util.List;

/**
 * Scores one response against the acceptable answers of its question. Implementations are
 * thread-safe and never throw for odd text: a response that breaks the format gets the function's
 * format score.
 */
public interface RewardFunction {
  /** The name it is configured by, e.g. {@code deepresearcher-f1}. */
  String name();

  /**
   * The score of {@code response} (the policy's whole output, tags and tool responses included).
   *
   * @param groundTruths the acceptable answers; the best one counts
   */
  double score(String response, List<String> groundTruths);
}
