package dev.deepresearcher.core.actor;

import dev.deepresearcher.core.DeepResearcherException;

/** Root of the actor runtime's exceptions. */
public class ActorException extends DeepResearcherException {
  private static final long serialVersionUID = 1L;

  public ActorException(String message) {
    super(message);
  }

  public ActorException(String message, Throwable cause) {
    super(message, cause);
  }
}
