package dev.deepresearcher.rollout;

import dev.deepresearcher.core.DeepResearcherException;

/** Root of the rollout module's exceptions. */
public class RolloutException extends DeepResearcherException {
  private static final long serialVersionUID = 1L;

  public RolloutException(String message) {
    super(message);
  }

  public RolloutException(String message, Throwable cause) {
    super(message, cause);
  }
}
