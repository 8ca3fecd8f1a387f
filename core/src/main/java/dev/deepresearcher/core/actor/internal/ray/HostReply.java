package dev.deepresearcher.core.actor.internal.ray;

import com.fasterxml.jackson.databind.JavaType;
import dev.deepresearcher.core.actor.internal.MessageCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link RayActorHost} sends back: one status byte, then the encoded reply ({@code OK}) or an
 * encoded {@link Failure}, in one array. Failures travel as data, not as Ray task exceptions, so
 * that the caller learns the thrown type and message whatever Ray's version does with exceptions.
 */
final class HostReply {
  static final byte OK = 0;
  static final byte FAILED = 1;

  private static final JavaType FAILURE = MessageCodec.type(Failure.class);

  private HostReply() {}

  /** Where a failure happened. */
  enum Stage {
    /** The actor's constructor threw. */
    CONSTRUCT,
    /** The method could not be found or its message not decoded. */
    PREPARE,
    /** The method threw. */
    CALL,
    /** The reply could not be encoded. */
    REPLY
  }

  /**
   * A failure on the actor's side.
   *
   * @param stage where it happened
   * @param type the thrown class's name
   * @param message its message, or {@code null}
   * @param frames its stack
   */
  record Failure(Stage stage, String type, String message, List<Frame> frames) {
    Failure {
      frames = List.copyOf(frames);
    }

    static Failure of(Stage stage, Throwable t) {
      List<Frame> frames = new ArrayList<>();
      for (StackTraceElement e : t.getStackTrace()) {
        frames.add(
            new Frame(e.getClassName(), e.getMethodName(), e.getFileName(), e.getLineNumber()));
      }
      return new Failure(stage, t.getClass().getName(), t.getMessage(), frames);
    }

    /** The failure as a local exception whose stack is the remote one, for the cause chain. */
    RemoteFailure toException() {
      StackTraceElement[] stack = new StackTraceElement[frames.size()];
      for (int i = 0; i < stack.length; i++) {
        Frame f = frames.get(i);
        stack[i] = new StackTraceElement(f.className(), f.method(), f.file(), f.line());
      }
      return new RemoteFailure(type, message, stack);
    }
  }

  /** One stack frame of a remote failure. */
  record Frame(String className, String method, String file, int line) {}

  /** A failure that happened in a worker JVM, with its type, message and stack. */
  static final class RemoteFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String type;

    RemoteFailure(String type, String message, StackTraceElement[] stack) {
      super(message, null, false, true);
      this.type = type;
      setStackTrace(stack);
    }

    @Override
    public String toString() {
      return type + (getMessage() == null ? "" : ": " + getMessage()) + " (in a Ray worker)";
    }
  }

  /** An OK reply carrying {@code value}, encoded. */
  static byte[] ok(Object value) {
    return MessageCodec.encode(OK, value);
  }

  static byte[] failed(Failure failure) {
    return MessageCodec.encode(FAILED, failure);
  }

  static boolean isOk(byte[] reply) {
    return reply.length > 0 && reply[0] == OK;
  }

  /** The value of an {@code OK} reply. */
  static Object value(byte[] reply, JavaType type) {
    return MessageCodec.decode(reply, 1, type);
  }

  /** The failure of a {@code FAILED} reply. */
  static Failure failure(byte[] reply) {
    if (reply.length == 0 || reply[0] != FAILED) {
      throw new IllegalStateException("not a failure reply");
    }
    return (Failure) MessageCodec.decode(reply, 1, FAILURE);
  }
}
