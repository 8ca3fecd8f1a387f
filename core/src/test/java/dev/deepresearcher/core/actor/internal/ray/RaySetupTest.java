package dev.deepresearcher.core.actor.internal.ray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.actor.ActorException;
import dev.deepresearcher.core.actor.ActorOptions;
import dev.deepresearcher.core.config.ActorBackend;
import dev.deepresearcher.core.config.ClusterConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the ray backend works out before it connects; no cluster needed. */
class RaySetupTest {
  @TempDir Path dir;

  private Path jar(String name, String classPath) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (classPath != null) {
      manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
    }
    Path jar = dir.resolve(name);
    Files.createDirectories(jar.getParent());
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream ignored = new JarOutputStream(out, manifest)) {
      // a manifest is all these jars hold
    }
    return jar;
  }

  private static ClusterConfig ray(Path rayJar) {
    return new ClusterConfig(ActorBackend.RAY, "127.0.0.1:6379", rayJar, List.of(), false);
  }

  @Test
  void theCodeSearchPathIsAbsoluteAndExpandsManifestOnlyJars() throws IOException {
    Path lib = jar("lib/dep.jar", null);
    Files.createDirectories(dir.resolve("classes"));
    Path booter = jar("booter.jar", "lib/dep.jar " + dir.resolve("classes").toUri());
    String relative = Path.of("").toAbsolutePath().relativize(lib).toString();
    List<String> path = RaySetup.codeSearchPath(booter + ":" + relative + ":/no/such/dir");
    assertEquals(
        List.of(booter.toString(), lib.toString(), dir.resolve("classes").toString()), path);
  }

  @Test
  void raysOwnJarsStayOutOfTheCodeSearchPath() throws IOException {
    Path api = jar("ray-api-2.39.0.jar", null);
    Path dist = jar("ray/ray_dist.jar", null);
    Path mine = jar("mine.jar", null);
    assertEquals(List.of(mine.toString()), RaySetup.codeSearchPath(api + ":" + dist + ":" + mine));
  }

  @Test
  void workerFlagsAreOnlyThoseTheWorkersJavaAccepts() {
    List<String> java17 = RaySetup.workerJvmOptions(17, List.of("-Xmx2g"));
    assertTrue(java17.containsAll(RaySetup.ADD_OPENS));
    assertFalse(java17.contains("--sun-misc-unsafe-memory-access=allow"));
    assertEquals("-Xmx2g", java17.get(java17.size() - 1), "the user's flags come last and win");
    assertTrue(
        RaySetup.workerJvmOptions(25, List.of()).contains("--sun-misc-unsafe-memory-access=allow"));
    assertFalse(
        RaySetup.workerJvmOptions(0, List.of()).contains("--enable-native-access=ALL-UNNAMED"),
        "an unknown Java gets only flags every JDK accepts");
  }

  @Test
  void aMissingRayJarNamesTheConfigKey() {
    ActorException e =
        assertThrows(
            ActorException.class, () -> RaySetup.rayJar(ray(dir.resolve("nope.jar")), dir));
    assertTrue(e.getMessage().contains("cluster.ray_jar"), e.getMessage());
  }

  @Test
  void withoutAJarOrAVenvTheMessageSaysToRunTheScript() {
    ActorException e = assertThrows(ActorException.class, () -> RaySetup.rayJar(ray(null), dir));
    assertTrue(e.getMessage().contains("scripts/ray-cluster start"), e.getMessage());
    assertTrue(e.getMessage().contains("cluster.ray_jar"), e.getMessage());
  }

  @Test
  void theVenvOfTheScriptIsFoundUnderTheRoot() throws IOException {
    Path jar = jar(".ray/venv/lib/python3.12/site-packages/ray/jars/ray_dist.jar", null);
    assertEquals(jar, RaySetup.rayJar(ray(null), dir));
  }

  @Test
  void theJavaVersionOfAJavaBinaryIsRead() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    assertEquals(Runtime.version().feature(), WorkerJava.feature(java));
  }

  @Test
  void resourcesFollowRaysRulesForFractions() {
    ActorOptions options = ActorOptions.named("a").withCpus(0.5);
    assertEquals(Map.of("CPU", 0.5), RayActorRuntime.resources(options));
    assertEquals(
        Map.of("CPU", 2.0, "GPU", 1.0, "memory", 1e9),
        RayActorRuntime.resources(options.withCpus(2).withGpus(1).withMemoryBytes(1_000_000_000)));
    ActorException e =
        assertThrows(ActorException.class, () -> RayActorRuntime.resources(options.withGpus(1.5)));
    assertTrue(e.getMessage().contains("gpus=1.5"), e.getMessage());
  }
}
