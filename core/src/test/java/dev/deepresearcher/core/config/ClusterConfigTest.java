package dev.deepresearcher.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {
  private static ConfigException problems(String... overrides) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(null, List.of(overrides)));
  }

  @Test
  void theDefaultRunsActorsInProcessWithoutRoundTrips() {
    ClusterConfig c = ConfigLoader.defaults().cluster();
    assertEquals(ClusterConfig.inProcess(), c);
    assertEquals(ActorBackend.IN_PROCESS, c.backend());
    assertNull(c.address());
    assertNull(c.rayJar());
    assertEquals(List.of(), c.workerJvmOptions());
    assertFalse(c.roundTripMessages());
  }

  @Test
  void theRayBackendReadsItsAddressJarAndWorkerFlags() {
    ClusterConfig c =
        ConfigLoader.load(
                null,
                List.of(
                    "cluster.backend=ray",
                    "cluster.address=10.0.0.5:6379",
                    "cluster.ray_jar=/opt/ray/ray_dist.jar",
                    "cluster.worker_jvm_options=[-Xmx16g, -XX:+UseZGC]"))
            .cluster();
    assertEquals(ActorBackend.RAY, c.backend());
    assertEquals("ray", c.backend().configName());
    assertEquals("10.0.0.5:6379", c.address());
    assertEquals(Path.of("/opt/ray/ray_dist.jar"), c.rayJar());
    assertEquals(List.of("-Xmx16g", "-XX:+UseZGC"), c.workerJvmOptions());
  }

  @Test
  void theRayBackendWithoutAnAddressSaysHowToGetOne() {
    String message = problems("cluster.backend=ray").getMessage();
    assertTrue(message.contains("cluster"), message);
    assertTrue(message.contains("address is required when backend is ray"), message);
    assertTrue(message.contains("scripts/ray-cluster start"), message);
  }

  @Test
  void anAddressMustBeHostColonPort() {
    for (String bad : List.of("10.0.0.5", "head:99999", "http://head:6379")) {
      String message = problems("cluster.address=" + bad).getMessage();
      assertTrue(message.contains("is not host:port"), message);
    }
  }

  @Test
  void workerJvmOptionsMustBeFlags() {
    String message = problems("cluster.worker_jvm_options=[Xmx16g]").getMessage();
    assertTrue(message.contains("not a JVM flag"), message);
  }

  @Test
  void anUnknownBackendListsTheChoices() {
    String message = problems("cluster.backend=kubernetes").getMessage();
    assertTrue(message.contains("in-process"), message);
    assertTrue(message.contains("ray"), message);
  }
}
