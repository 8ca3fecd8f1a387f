package dev.deepresearcher.policy;

import dev.deepresearcher.core.DeepResearcherException;

/** Root of the policy module's exceptions: a model folder that cannot be used, with the fix. */
public class PolicyException extends DeepResearcherException {
  private static final long serialVersionUID = 1L;

  public PolicyException(String message) {
    super(message);
  }

  public PolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
