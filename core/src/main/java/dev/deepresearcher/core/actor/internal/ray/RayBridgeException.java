package dev.deepresearcher.core.actor.internal.ray;

/** A Ray failure, classified, carried out of {@link RayBridge} without Ray's own types. */
public final class RayBridgeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The actor's process died (Ray's RayActorException or RayWorkerException). */
    ACTOR_DIED,
    /** A bounded wait ran out. */
    TIMEOUT,
    /** Anything else Ray reported. */
    OTHER
  }

  private final Kind kind;

  public RayBridgeException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
