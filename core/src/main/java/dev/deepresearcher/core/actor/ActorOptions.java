package dev.deepresearcher.core.actor;

import java.util.Objects;

/**
 * How an actor is placed and kept alive.
 *
 * @param name a name for logs and errors, e.g. {@code rollout-0}
 * @param cpus CPU cores the actor reserves on a cluster (the in-process backend only records it)
 * @param gpus GPUs it reserves (fractions allowed, as Ray allows)
 * @param memoryBytes memory it reserves, 0 for no reservation
 * @param maxRestarts how many times the actor is recreated from its init message after it dies; 0
 *     never
 */
public record ActorOptions(
    String name, double cpus, double gpus, long memoryBytes, int maxRestarts) {
  public ActorOptions {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("an actor needs a non-blank name, e.g. rollout-0");
    }
    if (!(cpus >= 0) || !(gpus >= 0)) {
      throw new IllegalArgumentException(
          "actor " + name + " asks for cpus=" + cpus + ", gpus=" + gpus + "; both must be >= 0");
    }
    if (memoryBytes < 0 || maxRestarts < 0) {
      throw new IllegalArgumentException(
          "actor "
              + name
              + " has memoryBytes="
              + memoryBytes
              + ", maxRestarts="
              + maxRestarts
              + "; both must be >= 0");
    }
  }

  /** One CPU, no GPU, no memory reservation, no restarts. */
  public static ActorOptions named(String name) {
    return new ActorOptions(name, 1, 0, 0, 0);
  }

  public ActorOptions withCpus(double value) {
    return new ActorOptions(name, value, gpus, memoryBytes, maxRestarts);
  }

  public ActorOptions withGpus(double value) {
    return new ActorOptions(name, cpus, value, memoryBytes, maxRestarts);
  }

  public ActorOptions withMemoryBytes(long value) {
    return new ActorOptions(name, cpus, gpus, value, maxRestarts);
  }

  public ActorOptions withMaxRestarts(int value) {
    return new ActorOptions(name, cpus, gpus, memoryBytes, value);
  }

  public ActorOptions withName(String value) {
    return new ActorOptions(value, cpus, gpus, memoryBytes, maxRestarts);
  }
}
