package dev.deepresearcher.core.actor;

import dev.deepresearcher.core.config.ActorBackend;
import dev.deepresearcher.core.config.ClusterConfig;
import java.util.List;

/**
 * The in-process backend in its test mode: every message is encoded and decoded, as it would be on
 * its way to another process.
 */
class RoundTripActorRuntimeTest extends ActorRuntimeContract {
  @Override
  protected ActorRuntime open() {
    return ActorRuntimes.create(
        new ClusterConfig(ActorBackend.IN_PROCESS, null, null, List.of(), true));
  }

  @Override
  protected String backend() {
    return "in-process";
  }

  @Override
  protected boolean encodesMessages() {
    return true;
  }

  @Override
  protected boolean separateProcesses() {
    return false;
  }
}
