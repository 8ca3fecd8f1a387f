package dev.deepresearcher.evaluate;

import java.util.List;

/** Decides whether a predicted answer means the same as one of the ground truths (MBE). */
public interface Judge {
  /**
   * @param question the question asked
   * @param groundTruths the acceptable answers, as the dataset lists them
   * @param answer the predicted answer, normalised as for F1 and EM
   */
  Verdict judge(String question, List<String> groundTruths, String answer);

  /** Where the verdicts come from, for reports, e.g. {@code gpt-4o-mini at https://…}. */
  String describe();
}
