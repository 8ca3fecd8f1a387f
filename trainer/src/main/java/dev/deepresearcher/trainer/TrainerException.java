package dev.deepresearcher.trainer;

import dev.deepresearcher.core.DeepResearcherException;

/** Root of the trainer module's exceptions. */
public class TrainerException extends DeepResearcherException {
  private static final long serialVersionUID = 1L;

  public TrainerException(String message) {
    super(message);
  }

  public TrainerException(String message, Throwable cause) {
    super(message, cause);
  }
}
