package dev.deepresearcher.core.actor.internal;

import dev.deepresearcher.core.actor.ActorException;
import dev.deepresearcher.core.actor.ActorGroup;
import dev.deepresearcher.core.actor.ActorRef;
import dev.deepresearcher.core.actor.ActorRuntime;
import dev.deepresearcher.core.actor.ActorSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The default backend: every actor in this JVM on a thread of its own. With {@code roundTrip},
 * every init message, argument and reply is encoded and decoded as the ray backend does, so tests
 * catch messages that could not cross a process boundary.
 */
public final class InProcessRuntime implements ActorRuntime {
  /** How long close() lets each actor finish its queued calls before interrupting it. */
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(30);

  private final boolean roundTrip;
  private final List<InProcessActor<?>> actors = new ArrayList<>();
  private boolean closed;

  public InProcessRuntime(boolean roundTrip) {
    this.roundTrip = roundTrip;
  }

  @Override
  public String backend() {
    return "in-process";
  }

  @Override
  public <A> ActorRef<A> create(ActorSpec<A> spec) {
    return start(List.of(spec)).get(0);
  }

  /** Constructs the members concurrently, each on its own thread. */
  @Override
  public <A> ActorGroup<A> createGroup(ActorSpec<A> spec, int n) {
    return new ActorGroup<>(start(GroupSpecs.of(spec, n)));
  }

  private <A> List<ActorRef<A>> start(List<ActorSpec<A>> specs) {
    List<InProcessActor<A>> made = new ArrayList<>();
    for (ActorSpec<A> spec : specs) {
      made.add(new InProcessActor<>(spec, roundTrip)); // checks; its thread starts with start()
    }
    List<CompletableFuture<Void>> started = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        throw new ActorException("the actor runtime is closed; create actors before close()");
      }
      for (InProcessActor<A> actor : made) {
        actors.add(actor);
        started.add(actor.start());
      }
    }
    ActorException failure = null;
    for (CompletableFuture<Void> f : started) {
      try {
        f.join();
      } catch (CompletionException e) {
        if (failure == null) {
          failure =
              e.getCause() instanceof ActorException a
                  ? a
                  : new ActorException("starting an actor failed: " + e.getCause(), e.getCause());
        }
      }
    }
    if (failure != null) {
      for (InProcessActor<A> actor : made) {
        actor.close(CLOSE_GRACE);
      }
      synchronized (this) {
        actors.removeAll(made);
      }
      throw failure;
    }
    return List.copyOf(made);
  }

  /**
   * Lets every actor finish the calls it has queued, closes the {@link AutoCloseable} ones and
   * stops their threads. Idempotent.
   */
  @Override
  public void close() {
    List<InProcessActor<?>> toClose;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = List.copyOf(actors);
      actors.clear();
    }
    // Each actor finishes in parallel: the close tasks are queued before anyone is waited for.
    List<Thread> closers = new ArrayList<>();
    for (InProcessActor<?> actor : toClose) {
      closers.add(Thread.ofVirtual().start(() -> actor.close(CLOSE_GRACE)));
    }
    for (Thread closer : closers) {
      try {
        closer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
