package dev.deepresearcher.core.actor;

/**
 * An actor's method threw. The message names the actor, the method and what was thrown; in this
 * process the cause is the exception itself, across processes its type and message are kept.
 */
public final class ActorCallException extends ActorException {
  private static final long serialVersionUID = 1L;
  private final String remoteType;

  public ActorCallException(String message, String remoteType, Throwable cause) {
    super(message, cause);
    this.remoteType = remoteType;
  }

  /** The class name of what the method threw, e.g. {@code java.lang.IllegalArgumentException}. */
  public String remoteType() {
    return remoteType;
  }
}
