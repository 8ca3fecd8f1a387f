package dev.deepresearcher.evaluate;

import dev.deepresearcher.core.DeepResearcherException;

/** Root of the evaluate module's exceptions: inputs that cannot be scored, with the fix. */
public class EvaluateException extends DeepResearcherException {
  private static final long serialVersionUID = 1L;

  public EvaluateException(String message) {
    super(message);
  }

  public EvaluateException(String message, Throwable cause) {
    super(message, cause);
  }
}
