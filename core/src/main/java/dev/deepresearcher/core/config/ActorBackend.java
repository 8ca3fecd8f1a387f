package dev.deepresearcher.core.config;

/** Where the actor runtime runs actors ({@code cluster.backend}). */
public enum ActorBackend implements ConfigEnum {
  /** One thread per actor in this JVM: no cluster needed, the default. */
  IN_PROCESS,
  /** Each actor in a worker JVM of a Ray cluster ({@code cluster.address}). */
  RAY
}
