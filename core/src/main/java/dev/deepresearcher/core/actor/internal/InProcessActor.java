package dev.deepresearcher.core.actor.internal;

import com.fasterxml.jackson.databind.JavaType;
import dev.deepresearcher.core.actor.ActorDiedException;
import dev.deepresearcher.core.actor.ActorException;
import dev.deepresearcher.core.actor.ActorMethod;
import dev.deepresearcher.core.actor.ActorMethod0;
import dev.deepresearcher.core.actor.ActorRef;
import dev.deepresearcher.core.actor.ActorSpec;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One actor of the in-process backend: its own platform thread (named after the actor) runs the
 * constructor and every call, one at a time, in the order calls were made.
 *
 * <p>An actor dies when a call throws an {@link Error} or its constructor fails on a restart; the
 * {@code generation} counter, bumped at each death, fails the calls that were queued behind the
 * dying one, as a crashed worker process would.
 */
final class InProcessActor<A> implements ActorRef<A> {
  private static final Logger LOG = LoggerFactory.getLogger(InProcessActor.class);

  private final String name;
  private final Class<A> type;
  private final Constructor<?> constructor;
  private final Object init;
  private final byte[] encodedInit;
  private final JavaType initType;
  private final int maxRestarts;
  private final boolean roundTrip;
  private final ExecutorService thread;

  /** Touched only on the actor's thread. */
  private Object instance;

  private volatile int generation;
  private volatile int restarts;
  private volatile boolean dead;

  InProcessActor(ActorSpec<A> spec, boolean roundTrip) {
    this.name = spec.options().name();
    this.type = spec.type();
    this.constructor = ActorConstructors.find(type, spec.init());
    this.initType = ActorConstructors.initType(constructor);
    this.maxRestarts = spec.options().maxRestarts();
    this.roundTrip = roundTrip;
    this.init = spec.init();
    // Encoded once, here: a message that cannot cross fails at create, and each restart decodes a
    // fresh copy, as a worker JVM would.
    this.encodedInit = roundTrip && init != null ? encodeInit(init) : null;
    this.thread =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("actor-" + name).daemon(true).factory());
  }

  /** Constructs the actor on its thread; the future fails with {@link ActorException}. */
  CompletableFuture<Void> start() {
    CompletableFuture<Void> started = new CompletableFuture<>();
    thread.execute(
        () -> {
          try {
            instance = construct();
            started.complete(null);
          } catch (Throwable t) {
            started.completeExceptionally(
                new ActorException(
                    "actor " + name + ": constructing " + type.getName() + " failed: " + t, t));
          }
        });
    return started;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int restarts() {
    return restarts;
  }

  @Override
  public <I, O> CompletableFuture<O> call(ActorMethod<A, I, O> method, I input) {
    MethodTarget target = MethodTarget.of(method, true);
    target.checkApplies(type);
    Object arg = input;
    if (roundTrip) {
      try {
        arg = MessageCodec.encode(input);
      } catch (IllegalArgumentException e) {
        throw new ActorException(
            "actor " + name + ": the message to " + target.display() + " cannot cross: " + e, e);
      }
    }
    return submit(target, arg);
  }

  @Override
  public <O> CompletableFuture<O> call(ActorMethod0<A, O> method) {
    MethodTarget target = MethodTarget.of(method, false);
    target.checkApplies(type);
    return submit(target, null);
  }

  private <O> CompletableFuture<O> submit(MethodTarget target, Object arg) {
    CompletableFuture<O> reply = new CompletableFuture<>();
    if (dead) {
      reply.completeExceptionally(ActorFailures.diedBefore(name, target.display(), true));
      return reply;
    }
    @SuppressWarnings("unchecked")
    CompletableFuture<Object> untyped = (CompletableFuture<Object>) reply;
    Call call = new Call(target, arg, generation, untyped);
    try {
      thread.execute(call);
    } catch (RejectedExecutionException e) {
      reply.completeExceptionally(
          new ActorException(
              "actor " + name + ": the runtime is closed; " + target.display() + " was not run"));
    }
    return reply;
  }

  /**
   * Runs queued calls, then closes the instance; after {@code grace}, interrupts what still runs
   * and fails the calls that never ran.
   */
  void close(Duration grace) {
    try {
      thread.execute(this::closeInstance);
    } catch (RejectedExecutionException e) {
      return; // closed already
    }
    thread.shutdown();
    try {
      if (!thread.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "actor {} did not finish its calls within {} of close; interrupting it", name, grace);
        for (Runnable never : thread.shutdownNow()) {
          if (never instanceof InProcessActor<?>.Call call) {
            call.reply.completeExceptionally(
                new ActorDiedException(
                    "actor "
                        + name
                        + " was stopped by close() before "
                        + call.target.display()
                        + " ran",
                    null));
          }
        }
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private Object construct() throws Throwable {
    Object message = encodedInit != null ? MessageCodec.decode(encodedInit, initType) : init;
    try {
      return ActorConstructors.newInstance(constructor, message);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private byte[] encodeInit(Object message) {
    try {
      return MessageCodec.encode(message);
    } catch (IllegalArgumentException e) {
      throw new ActorException(
          "actor " + name + ": the init message cannot cross: " + e.getMessage(), e);
    }
  }

  /**
   * On the actor's thread, after a death was counted ({@code generation} bumped): restarts the
   * instance while restarts are left.
   */
  private void restartOrDie(Throwable error, String where) {
    closeInstance();
    Throwable cause = error;
    while (true) {
      if (restarts >= maxRestarts) {
        dead = true;
        LOG.warn(
            "actor {} died in {} ({}) and is not restarted (max restarts {} used up)",
            name,
            where,
            cause.toString(),
            maxRestarts);
        return;
      }
      restarts++;
      LOG.warn(
          "actor {} died in {} ({}); restarting it from its init message (restart {} of {})",
          name,
          where,
          cause.toString(),
          restarts,
          maxRestarts);
      try {
        instance = construct();
        return;
      } catch (Throwable t) {
        generation++;
        cause = t;
        where = "its constructor";
      }
    }
  }

  private void closeInstance() {
    Object old = instance;
    instance = null;
    if (old instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.warn("actor {}: close() failed: {}", name, e.toString());
      }
    }
  }

  /** A call waiting on, or running on, the actor's thread. */
  private final class Call implements Runnable {
    final MethodTarget target;
    final Object arg;
    final int submittedIn;
    final CompletableFuture<Object> reply;

    Call(MethodTarget target, Object arg, int submittedIn, CompletableFuture<Object> reply) {
      this.target = target;
      this.arg = arg;
      this.submittedIn = submittedIn;
      this.reply = reply;
    }

    @Override
    public void run() {
      String method = target.display();
      if (dead || submittedIn != generation) {
        reply.completeExceptionally(ActorFailures.diedBefore(name, method, dead));
        return;
      }
      Object result;
      try {
        Object message =
            roundTrip && target.hasArg()
                ? MessageCodec.decode((byte[]) arg, target.argType())
                : arg;
        result = target.invoke(instance, message);
      } catch (InvocationTargetException e) {
        Throwable thrown = e.getCause();
        if (thrown instanceof Error) {
          // Counted before the caller hears of it, so that a call it makes in reply is not taken
          // for one queued behind the death.
          generation++;
          reply.completeExceptionally(
              ActorFailures.diedInCall(
                  name, method, thrown.toString(), restarts < maxRestarts, thrown));
          restartOrDie(thrown, method);
        } else {
          reply.completeExceptionally(
              ActorFailures.callFailed(
                  name, method, thrown.getClass().getName(), thrown.getMessage(), thrown));
        }
        return;
      } catch (RuntimeException e) {
        reply.completeExceptionally(
            e instanceof ActorException
                ? e
                : new ActorException("actor " + name + ": cannot call " + method + ": " + e, e));
        return;
      }
      if (roundTrip) {
        try {
          result = MessageCodec.roundTrip(result, target.replyType());
        } catch (IllegalArgumentException e) {
          reply.completeExceptionally(ActorFailures.replyCannotCross(name, method, e));
          return;
        }
      }
      reply.complete(result);
    }
  }
}
