package dev.deepresearcher.core.actor;

import java.util.ArrayList;
import java.util.List;

/**
 * Creates actors and owns them until closed: in this process (one thread per actor, the default) or
 * on a Ray cluster (each actor in a worker JVM). The same actor classes and calls run on both.
 *
 * <pre>{@code
 * try (ActorRuntime runtime = ActorRuntimes.create(config.cluster())) {
 *   ActorGroup<Worker> workers = runtime.createGroup(
 *       new ActorSpec<>(Worker.class, new Worker.Init("models/tiny"), ActorOptions.named("worker")), 2);
 *   List<Long> versions = workers.broadcast(Worker::importWeights, payload).join();
 * }
 * }</pre>
 *
 * <p>Messages and replies cross as encoded bytes (records, strings, boxed primitives, {@code
 * byte[]}, lists and maps of those), so an actor never shares objects with its caller, whichever
 * the backend.
 */
public interface ActorRuntime extends AutoCloseable {
  /** The backend's name: {@code in-process} or {@code ray}. */
  String backend();

  /**
   * Creates an actor and returns once it is constructed.
   *
   * @throws ActorException when its class cannot be constructed from the init message
   */
  <A> ActorRef<A> create(ActorSpec<A> spec);

  /**
   * Creates {@code n} actors of one spec, named {@code <name>-0 … <name>-(n-1)}, constructed
   * concurrently.
   */
  default <A> ActorGroup<A> createGroup(ActorSpec<A> spec, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(
          "a group of " + n + " actors; ask for at least one (" + spec.options().name() + ")");
    }
    List<ActorRef<A>> members = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      members.add(
          create(
              new ActorSpec<>(
                  spec.type(),
                  spec.init(),
                  spec.options().withName(spec.options().name() + "-" + i))));
    }
    return new ActorGroup<>(members);
  }

  /** Stops every actor (closing those that are {@link AutoCloseable}) and frees the backend. */
  @Override
  void close();
}
