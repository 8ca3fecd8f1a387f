package dev.deepresearcher.core.actor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deepresearcher.core.config.ActorBackend;
import dev.deepresearcher.core.config.ClusterConfig;
import dev.deepresearcher.core.testing.TestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
  private static boolean startedHere;
  private static Set<Path> nativeCopiesBefore;

  @BeforeAll
  static void startCluster() throws Exception {
    nativeCopiesBefore = nativeCopies();
    if (rayCluster("status", "--port", Integer.toString(PORT)) == 0) {
      return;
    }
    int code = rayCluster("start", "--port", Integer.toString(PORT), "--cpus", "8");
    assertEquals(0, code, "scripts/ray-cluster start failed");
    startedHere = true;
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (startedHere) {
      rayCluster("stop");
    }
    Set<Path> left = nativeCopies();
    left.removeAll(nativeCopiesBefore);
    assertEquals(Set.of(), left, "native library copies our drivers left in /tmp/ray");
  }

  @Override
  protected ActorRuntime open() {
    return ActorRuntimes.create(
        new ClusterConfig(ActorBackend.RAY, "127.0.0.1:" + PORT, null, List.of("-Xmx256m"), false));
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

  private static int rayCluster(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(TestPaths.root().resolve("scripts/ray-cluster").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("scripts/ray-cluster " + String.join(" ", args) + " hung");
    }
    System.out.print(out);
    return p.exitValue();
  }

  private static Set<Path> nativeCopies() throws IOException {
    Set<Path> dirs = new HashSet<>();
    Path tmp = Path.of("/tmp/ray");
    if (Files.isDirectory(tmp)) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(tmp, "[0-9]*")) {
        s.forEach(dirs::add);
      }
    }
    return dirs;
  }
}
