package dev.deepresearcher.core.actor;

import dev.deepresearcher.core.actor.internal.InProcessRuntime;
import dev.deepresearcher.core.actor.internal.ray.RayActorRuntime;
import dev.deepresearcher.core.config.ClusterConfig;

/**
 * Opens the actor runtime the {@code cluster} configuration section asks for.
 *
 * <pre>{@code
 * try (ActorRuntime runtime = ActorRuntimes.create(config.cluster())) {
 *   ActorRef<Counter> counter =
 *       runtime.create(new ActorSpec<>(Counter.class, 10L, ActorOptions.named("counter")));
 *   long total = counter.call(Counter::add, 5L).join(); // 15
 * }
 * }</pre>
 */
public final class ActorRuntimes {
  private ActorRuntimes() {}

  /**
   * The runtime of {@code cluster.backend}: in this process, or connected to the Ray cluster at
   * {@code cluster.address} as a driver (one per JVM at a time).
   *
   * @throws ActorException when the Ray cluster cannot be reached or Ray's Java runtime is missing
   */
  public static ActorRuntime create(ClusterConfig cluster) {
    return switch (cluster.backend()) {
      case IN_PROCESS -> new InProcessRuntime(cluster.roundTripMessages());
      case RAY -> RayActorRuntime.connect(cluster);
    };
  }

  /** The in-process runtime, without message round trips: the default. */
  public static ActorRuntime inProcess() {
    return new InProcessRuntime(false);
  }
}
