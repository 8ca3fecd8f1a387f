package dev.deepresearcher.core.actor.internal.ray;

import dev.deepresearcher.core.actor.ActorCallException;
import dev.deepresearcher.core.actor.ActorException;
import dev.deepresearcher.core.actor.ActorMethod;
import dev.deepresearcher.core.actor.ActorMethod0;
import dev.deepresearcher.core.actor.ActorRef;
import dev.deepresearcher.core.actor.internal.ActorFailures;
import dev.deepresearcher.core.actor.internal.MessageCodec;
import dev.deepresearcher.core.actor.internal.MethodTarget;
import dev.deepresearcher.core.actor.internal.ray.HostReply.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handle on one actor in a Ray worker JVM. Calls are submitted at once (Ray runs an actor's calls
 * from one driver in submission order); one platform thread per actor waits for the replies in that
 * same order and completes the futures. A thread per actor rather than virtual threads, because
 * {@code ObjectRef.get()} blocks inside native code, where a virtual thread would pin its carrier;
 * and in order, because an actor's replies come in order anyway.
 *
 * <p>Deaths are counted here, from the calls that saw the process end: a death is counted once, by
 * the first failed call submitted before anyone saw it.
 */
final class RayActorRef<A> implements ActorRef<A> {
  private static final Logger LOG = LoggerFactory.getLogger(RayActorRef.class);
  private static final byte[] NO_MESSAGE = new byte[0];

  /** How long probes of a restarted actor may keep failing before it counts as dead. */
  private static final Duration PROBE_FAILURES_FOR = Duration.ofMinutes(2);

  private final RayActorRuntime runtime;
  private final String name;
  private final Class<A> type;
  private final Object handle;
  private final int maxRestarts;
  private final Object submitLock = new Object();
  private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
  private final AtomicInteger deaths = new AtomicInteger();
  private final Thread waiter;

  /** Calls made while a restarted actor is not reachable yet; sent in order once it is. */
  private final List<Held> held = new ArrayList<>();

  private boolean recovering;
  private volatile Thread recovery;

  RayActorRef(RayActorRuntime runtime, String name, Class<A> type, Object handle, int maxRestarts) {
    this.runtime = runtime;
    this.name = name;
    this.type = type;
    this.handle = handle;
    this.maxRestarts = maxRestarts;
    this.waiter =
        Thread.ofPlatform().name("ray-replies-" + name).daemon(true).unstarted(this::awaitReplies);
    waiter.setContextClassLoader(runtime.rayLoader());
    waiter.start();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int restarts() {
    return Math.min(deaths.get(), maxRestarts);
  }

  @Override
  public <I, O> CompletableFuture<O> call(ActorMethod<A, I, O> method, I input) {
    MethodTarget target = MethodTarget.of(method, true);
    target.checkApplies(type);
    byte[] arg;
    try {
      arg = MessageCodec.encode(input);
    } catch (IllegalArgumentException e) {
      throw new ActorException(
          "actor " + name + ": the message to " + target.display() + " cannot cross: " + e, e);
    }
    return submit(target, arg);
  }

  @Override
  public <O> CompletableFuture<O> call(ActorMethod0<A, O> method) {
    MethodTarget target = MethodTarget.of(method, false);
    target.checkApplies(type);
    return submit(target, NO_MESSAGE);
  }

  private <O> CompletableFuture<O> submit(MethodTarget target, byte[] arg) {
    CompletableFuture<O> reply = new CompletableFuture<>();
    @SuppressWarnings("unchecked")
    CompletableFuture<Object> untyped = (CompletableFuture<Object>) reply;
    if (deaths.get() > maxRestarts) {
      reply.completeExceptionally(ActorFailures.diedBefore(name, target.display(), true));
      return reply;
    }
    synchronized (submitLock) {
      if (runtime.isClosed()) {
        reply.completeExceptionally(
            new ActorException(
                "actor " + name + ": the runtime is closed; " + target.display() + " was not run"));
      } else if (recovering) {
        held.add(new Held(target, arg, untyped));
      } else {
        send(target, arg, untyped);
      }
    }
    return reply;
  }

  /** Submits a call; the caller holds {@code submitLock}, so calls reach Ray in call order. */
  private void send(MethodTarget target, byte[] arg, CompletableFuture<Object> reply) {
    Object ref =
        runtime.withRay(
            bridge ->
                bridge.invoke(
                    handle, target.implClass(), target.implMethod(), target.implSignature(), arg));
    pending.add(new Pending(target, ref, deaths.get(), reply));
  }

  /**
   * Closes the actor's instance after the calls already made; the future completes then, at once
   * for an actor that is dead.
   */
  CompletableFuture<Object> closeInstance() {
    CompletableFuture<Object> done = new CompletableFuture<>();
    synchronized (submitLock) {
      if (deaths.get() > maxRestarts) {
        done.complete(null);
      } else if (recovering) {
        held.add(new Held(null, null, done));
      } else {
        Object ref = runtime.withRay(bridge -> bridge.close(handle));
        pending.add(new Pending(null, ref, deaths.get(), done));
      }
    }
    return done;
  }

  /** Kills the worker process (no restart) and stops the reply thread. */
  void stop(long waitMillis) {
    try {
      runtime.withRay(
          bridge -> {
            bridge.kill(handle);
            return null;
          });
    } catch (RuntimeException e) {
      LOG.debug("actor {}: kill failed: {}", name, e.toString());
    }
    pending.add(Pending.STOP);
    try {
      waiter.join(waitMillis);
      Thread r = recovery;
      if (r != null) {
        r.join(waitMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether this actor's threads have ended (they must before Ray shuts down under them). */
  boolean stopped() {
    Thread r = recovery;
    return !waiter.isAlive() && (r == null || !r.isAlive());
  }

  private void awaitReplies() {
    while (true) {
      Pending p;
      try {
        p = pending.poll(1, TimeUnit.HOURS);
      } catch (InterruptedException e) {
        return;
      }
      if (p == Pending.STOP) {
        failRest();
        return;
      }
      if (p == null) {
        continue;
      }
      try {
        byte[] bytes = runtime.bridge().get(p.ref, 0);
        complete(p, bytes);
      } catch (RayBridgeException e) {
        if (e.kind() == RayBridgeException.Kind.ACTOR_DIED) {
          died(p, e.getMessage());
        } else {
          p.reply.completeExceptionally(
              new ActorException("actor " + name + ": Ray failed the call: " + e.getMessage(), e));
        }
      } catch (RuntimeException e) {
        p.reply.completeExceptionally(
            new ActorException("actor " + name + ": reading the reply failed: " + e, e));
      }
    }
  }

  private void failRest() {
    for (Pending p; (p = pending.poll()) != null; ) {
      if (p != Pending.STOP) {
        p.reply.completeExceptionally(
            new ActorException("actor " + name + " was stopped by close() before it replied"));
      }
    }
  }

  private void complete(Pending p, byte[] bytes) {
    String method = p.target == null ? "close" : p.target.display();
    if (HostReply.isOk(bytes)) {
      if (p.target == null) {
        p.reply.complete(null);
        return;
      }
      try {
        p.reply.complete(HostReply.value(bytes, p.target.replyType()));
      } catch (IllegalArgumentException e) {
        p.reply.completeExceptionally(
            new ActorException("actor " + name + ": the reply of " + method + ": " + e, e));
      }
      return;
    }
    Failure f = HostReply.failure(bytes);
    p.reply.completeExceptionally(
        switch (f.stage()) {
          case CALL ->
              ActorFailures.callFailed(name, method, f.type(), f.message(), f.toException());
          case REPLY ->
              new ActorCallException(
                  "actor " + name + ": the reply of " + method + " cannot cross: " + f.message(),
                  f.type(),
                  f.toException());
          case PREPARE, CONSTRUCT ->
              new ActorException(
                  "actor " + name + ": cannot call " + method + ": " + f.message(),
                  f.toException());
        });
  }

  private void died(Pending p, String rayMessage) {
    String method = p.target == null ? "close" : p.target.display();
    if (p.target == null) {
      p.reply.complete(null); // closing an actor that died: nothing left to close
      return;
    }
    boolean first = deaths.compareAndSet(p.submittedAfter, p.submittedAfter + 1);
    boolean restarting = deaths.get() <= maxRestarts;
    if (!first) {
      p.reply.completeExceptionally(ActorFailures.diedBefore(name, method, !restarting));
      return;
    }
    if (restarting) {
      LOG.warn(
          "actor {} died in {} (its worker process ended); Ray restarts it from its init message"
              + " (restart {} of {})",
          name,
          method,
          deaths.get(),
          maxRestarts);
    } else {
      LOG.warn(
          "actor {} died in {} (its worker process ended) and is not restarted (max restarts {}"
              + " used up)",
          name,
          method,
          maxRestarts);
    }
    p.reply.completeExceptionally(
        ActorFailures.diedInCall(
            name,
            method,
            "its worker process ended; the worker's log under /tmp/ray/session_latest/logs says"
                + " why. Ray: "
                + firstLine(rayMessage),
            restarting,
            null));
    if (restarting) {
      startRecovery();
    }
  }

  /**
   * Holds new calls until the restarted actor answers. Ray fails the calls this driver sends to the
   * dead process until it learns of the restart, so calls made after a death are kept here and sent
   * once a probe ({@link RayActorHost#ready()}) gets through, as the in-process backend would run
   * them on the new instance.
   */
  private void startRecovery() {
    synchronized (submitLock) {
      if (recovering) {
        return;
      }
      recovering = true;
    }
    Thread thread =
        Thread.ofPlatform().name("ray-restart-" + name).daemon(true).unstarted(this::recover);
    thread.setContextClassLoader(runtime.rayLoader());
    recovery = thread;
    thread.start();
  }

  private void recover() {
    long giveUpAt = System.nanoTime() + PROBE_FAILURES_FOR.toNanos();
    while (!runtime.isClosed()) {
      byte[] reply;
      try {
        Object probe = runtime.withRay(bridge -> bridge.ready(handle));
        reply = runtime.bridge().get(probe, RayActorRuntime.START_TIMEOUT.toMillis());
      } catch (RayBridgeException e) {
        if (e.kind() == RayBridgeException.Kind.TIMEOUT || System.nanoTime() > giveUpAt) {
          deaths.set(maxRestarts + 1);
          LOG.warn("actor {} did not come back after it died: {}", name, e.getMessage());
          release(false);
          return;
        }
        pause();
        continue; // the driver still sees the dead process: probe again
      }
      if (HostReply.isOk(reply)) {
        release(true);
        return;
      }
      // The constructor failed on the restart: one more death, as in-process.
      Failure f = HostReply.failure(reply);
      int d = deaths.incrementAndGet();
      LOG.warn(
          "actor {} died again: its constructor failed on restart ({}: {}){}",
          name,
          f.type(),
          f.message(),
          d <= maxRestarts ? "; restarting it" : "; it is not restarted (max restarts used up)");
      if (d > maxRestarts) {
        release(false);
        return;
      }
      // A host whose constructor failed ends its process on any call, and Ray restarts it.
      runtime.withRay(bridge -> bridge.invoke(handle, "", "", "", NO_MESSAGE));
      giveUpAt = System.nanoTime() + PROBE_FAILURES_FOR.toNanos();
    }
    release(false);
  }

  /** Sends the held calls (the actor is back) or fails them (it is dead or the runtime closed). */
  private void release(boolean send) {
    synchronized (submitLock) {
      for (Held h : held) {
        if (send && !runtime.isClosed()) {
          if (h.target == null) {
            Object ref = runtime.withRay(bridge -> bridge.close(handle));
            pending.add(new Pending(null, ref, deaths.get(), h.reply));
          } else {
            send(h.target, h.arg, h.reply);
          }
        } else if (h.target == null) {
          h.reply.complete(null);
        } else {
          h.reply.completeExceptionally(
              ActorFailures.diedBefore(name, h.target.display(), deaths.get() > maxRestarts));
        }
      }
      held.clear();
      recovering = false;
    }
  }

  private static void pause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no message";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** A call held while the actor restarts; {@code target} is null for close. */
  private record Held(MethodTarget target, byte[] arg, CompletableFuture<Object> reply) {}

  /** A submitted call waiting for its reply; {@code target} is null for close. */
  private record Pending(
      MethodTarget target, Object ref, int submittedAfter, CompletableFuture<Object> reply) {
    static final Pending STOP = new Pending(null, null, -1, new CompletableFuture<>());
  }
}
