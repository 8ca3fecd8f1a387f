package dev.deepresearcher.core.actor.internal.ray;

import java.util.Map;

/**
 * The few Ray operations the ray backend needs, in JDK types only. Its one implementation ({@code
 * bridge.RayBridgeImpl}) is the only class that touches {@code io.ray}; it is loaded in {@link
 * RayClassLoader} next to the cluster's own {@code ray_dist.jar}, so the Ray API that runs is the
 * cluster's (2.58), not the 2.39 jar the code was compiled against. Handles and object references
 * pass through here as opaque objects.
 */
public interface RayBridge {
  /** {@code Ray.init()}, reading the {@code ray.*} system properties set by the caller. */
  void init();

  /** Creates a {@link RayActorHost} actor for {@code className}; returns its handle. */
  Object createActor(
      String className,
      String initParam,
      byte[] init,
      Map<String, Double> resources,
      int maxRestarts);

  /** Submits {@link RayActorHost#ready()}; returns the reply's reference. */
  Object ready(Object actor);

  /** Submits {@link RayActorHost#invoke}; returns the reply's reference. */
  Object invoke(
      Object actor, String implClass, String implMethod, String implSignature, byte[] arg);

  /** Submits {@link RayActorHost#close()}; returns the reply's reference. */
  Object close(Object actor);

  /**
   * Waits for a reply.
   *
   * @param timeoutMillis how long to wait; 0 or less waits as long as it takes
   * @throws RayBridgeException when the actor died, the wait timed out or Ray failed
   */
  byte[] get(Object ref, long timeoutMillis);

  /** Kills the actor's process without restarting it. */
  void kill(Object actor);

  /** {@code Ray.shutdown()}. */
  void shutdown();
}
