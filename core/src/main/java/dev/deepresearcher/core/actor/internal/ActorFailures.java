package dev.deepresearcher.core.actor.internal;

import dev.deepresearcher.core.actor.ActorCallException;
import dev.deepresearcher.core.actor.ActorDiedException;

/** The exceptions callers get, worded the same by every backend. */
public final class ActorFailures {
  private ActorFailures() {}

  /** The method threw: names the actor, the method and what was thrown. */
  public static ActorCallException callFailed(
      String actor, String method, String thrownType, String thrownMessage, Throwable cause) {
    return new ActorCallException(
        "actor "
            + actor
            + ": "
            + method
            + " threw "
            + thrownType
            + (thrownMessage == null ? "" : ": " + thrownMessage),
        thrownType,
        cause);
  }

  /** The reply could not be encoded to cross back to the caller. */
  public static ActorCallException replyCannotCross(
      String actor, String method, IllegalArgumentException e) {
    return new ActorCallException(
        "actor " + actor + ": the reply of " + method + " cannot cross: " + e.getMessage(),
        e.getClass().getName(),
        e);
  }

  /** The actor died while running this call. */
  public static ActorDiedException diedInCall(
      String actor, String method, String reason, boolean restarting, Throwable cause) {
    return new ActorDiedException(
        "actor "
            + actor
            + " died in "
            + method
            + " ("
            + reason
            + ")"
            + (restarting
                ? "; it is being restarted from its init message, later calls go to the new one"
                : "; it is not restarted (raise ActorOptions.maxRestarts to restart it)"),
        cause);
  }

  /** The actor died, or is dead, before this call ran. */
  public static ActorDiedException diedBefore(String actor, String method, boolean dead) {
    return new ActorDiedException(
        "actor "
            + actor
            + (dead
                ? " is dead (it died and was not restarted); " + method + " was not run"
                : " died before "
                    + method
                    + " ran (the call was queued behind the one that died);"
                    + " it was restarted, so call again"),
        null);
  }
}
