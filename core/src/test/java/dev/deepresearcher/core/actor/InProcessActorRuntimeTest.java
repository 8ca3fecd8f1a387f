package dev.deepresearcher.core.actor;

import dev.deepresearcher.core.config.ClusterConfig;

/** The in-process backend: actors on threads of this JVM, messages passed as they are. */
class InProcessActorRuntimeTest extends ActorRuntimeContract {
  @Override
  protected ActorRuntime open() {
    return ActorRuntimes.create(ClusterConfig.inProcess());
  }

  @Override
  protected String backend() {
    return "in-process";
  }

  @Override
  protected boolean encodesMessages() {
    return false;
  }

  @Override
  protected boolean separateProcesses() {
    return false;
  }
}
