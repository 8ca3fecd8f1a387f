package dev.deepresearcher.core.actor;

import dev.deepresearcher.core.config.ActorBackend;
import dev.deepresearcher.core.config.ClusterConfig;
import dev.deepresearcher.core.testing.LocalRayCluster;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The ray backend on a real local cluster: {@code scripts/ray-cluster start} (which installs Ray
 * into .ray/venv on a fresh machine) before, {@code stop} after, unless a head ran on the port
 * already, which is then used and left running. Actors run in worker JVMs that load this module's
 * classes and test classes from the driver's classpath.
 */
@Tag("integration")
class RayActorRuntimeTest extends ActorRuntimeContract {
  private static final int PORT = 6379;
  private static LocalRayCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = LocalRayCluster.start(PORT, 8);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Override
  protected ActorRuntime open() {
    return ActorRuntimes.create(
        new ClusterConfig(ActorBackend.RAY, cluster.address(), null, List.of("-Xmx256m"), false));
  }

  @Override
  protected String backend() {
    return "ray";
  }

  @Override
  protected boolean encodesMessages() {
    return true;
  }

  @Override
  protected boolean separateProcesses() {
    return true;
  }

  @Override
  protected int callsPerCaller() {
    return 150;
  }

  @Test
  void aSecondRuntimeInTheSameJvmIsRefusedWhileOneIsOpen() {
    ActorException e =
        org.junit.jupiter.api.Assertions.assertThrows(ActorException.class, this::open);
    org.junit.jupiter.api.Assertions.assertTrue(
        e.getMessage().contains("one driver per process"), e.getMessage());
  }
}
