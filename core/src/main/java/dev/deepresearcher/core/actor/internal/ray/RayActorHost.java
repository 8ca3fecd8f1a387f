package dev.deepresearcher.core.actor.internal.ray;

import dev.deepresearcher.core.actor.internal.ActorConstructors;
import dev.deepresearcher.core.actor.internal.MessageCodec;
import dev.deepresearcher.core.actor.internal.MethodTarget;
import dev.deepresearcher.core.actor.internal.ray.HostReply.Failure;
import dev.deepresearcher.core.actor.internal.ray.HostReply.Stage;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Ray actor that hosts one of our actors in a worker JVM: Ray sees only this class, created
 * from the actor's class name and encoded init message, and its {@link #invoke} method, which names
 * the real method the way a method reference does and carries the encoded message. Messages are
 * encoded by us ({@link MessageCodec}) because Ray's serializer cannot build records (final
 * fields).
 *
 * <p>An {@link Error} thrown by the actor (an OutOfMemoryError, say) ends this worker process: its
 * state can no longer be trusted, and Ray restarts the actor from its init message if the actor's
 * max restarts allow, exactly as when the process crashes. Public because Ray constructs it by
 * reflection; not part of the API. It touches no Ray class, so the driver can load it without Ray.
 */
public final class RayActorHost {
  private final Object instance;
  private final Throwable failure;
  private final Map<String, MethodTarget> methods = new ConcurrentHashMap<>();

  /**
   * Constructs the actor; a failure is kept for {@link #ready()} to report (an exception escaping a
   * Ray actor's constructor would only say that the actor died).
   *
   * @param className the actor's class
   * @param initParam the class name of its constructor's parameter, {@code ""} for none
   * @param init the encoded init message
   */
  public RayActorHost(String className, String initParam, byte[] init) {
    Object made = null;
    Throwable failed = null;
    try {
      Class<?> type = Class.forName(className, true, loader());
      Constructor<?> constructor = ActorConstructors.find(type, initParam);
      Object message =
          initParam.isEmpty()
              ? null
              : MessageCodec.decode(init, ActorConstructors.initType(constructor));
      made = ActorConstructors.newInstance(constructor, message);
    } catch (InvocationTargetException e) {
      failed = e.getCause();
    } catch (Throwable t) {
      failed = t;
    }
    this.instance = made;
    this.failure = failed;
  }

  /** OK with this worker's process id, or the constructor's failure. */
  public byte[] ready() {
    if (failure != null) {
      return HostReply.failed(Failure.of(Stage.CONSTRUCT, failure));
    }
    return HostReply.ok(ProcessHandle.current().pid());
  }

  /**
   * Calls the method a method reference named, with the encoded message.
   *
   * @param implClass the method's class in JVM form
   * @param implMethod its name
   * @param implSignature its descriptor
   * @param arg the encoded message (ignored by a method without one)
   * @return {@link HostReply}: the encoded reply, or what failed
   */
  public byte[] invoke(String implClass, String implMethod, String implSignature, byte[] arg) {
    if (failure != null) {
      // Only after a restart (create() checked the first construction): a constructor that fails
      // again is one more death, which uses up one more restart.
      die("its constructor failed on restart", failure);
    }
    MethodTarget target;
    Object message;
    try {
      target =
          methods.computeIfAbsent(
              implClass + '.' + implMethod + implSignature,
              k -> MethodTarget.resolve(loader(), implClass, implMethod, implSignature));
      message = target.hasArg() ? MessageCodec.decode(arg, target.argType()) : null;
    } catch (RuntimeException e) {
      return HostReply.failed(Failure.of(Stage.PREPARE, e));
    }
    Object result;
    try {
      result = target.invoke(instance, message);
    } catch (InvocationTargetException e) {
      Throwable thrown = e.getCause();
      if (thrown instanceof Error) {
        die(target.display() + " threw " + thrown, thrown);
      }
      return HostReply.failed(Failure.of(Stage.CALL, thrown));
    } catch (RuntimeException e) {
      return HostReply.failed(Failure.of(Stage.PREPARE, e));
    }
    try {
      return HostReply.ok(result);
    } catch (IllegalArgumentException e) {
      return HostReply.failed(Failure.of(Stage.REPLY, e));
    }
  }

  /** Closes the actor if it is {@link AutoCloseable}; the runtime calls it on close. */
  public byte[] close() {
    if (instance instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        return HostReply.failed(Failure.of(Stage.CALL, e));
      }
    }
    return HostReply.ok(null);
  }

  private ClassLoader loader() {
    // The job's class loader, which holds the code search path: the actor's classes are there.
    return RayActorHost.class.getClassLoader();
  }

  /** Ends this worker process at once, as a crash would; the reason goes to the worker's log. */
  private static void die(String reason, Throwable cause) {
    System.err.println("actor died: " + reason + "; ending this worker process");
    cause.printStackTrace(System.err);
    System.err.flush();
    Runtime.getRuntime().halt(1);
  }
}
