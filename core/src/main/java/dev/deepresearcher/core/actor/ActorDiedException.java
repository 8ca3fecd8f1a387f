package dev.deepresearcher.core.actor;

/** An actor died (its process or thread ended) and was not, or could no longer be, restarted. */
public final class ActorDiedException extends ActorException {
  private static final long serialVersionUID = 1L;

  public ActorDiedException(String message, Throwable cause) {
    super(message, cause);
  }
}
