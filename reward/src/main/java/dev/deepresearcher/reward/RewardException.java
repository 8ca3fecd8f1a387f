package dev.deepresearcher.reward;

import dev.deepresearcher.core.DeepResearcherException;

/** Root of the reward module's exceptions: input that cannot be scored, named with the fix. */
public class RewardException extends DeepResearcherException {
  private static final long serialVersionUID = 1L;

  public RewardException(String message) {
    super(message);
  }

  public RewardException(String message, Throwable cause) {
    super(message, cause);
  }
}
