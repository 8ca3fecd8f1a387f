package dev.deepresearcher.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/**
 * A real local Ray head for integration tests: {@code scripts/ray-cluster start} (which installs
 * Ray into .ray/venv on a fresh machine) unless a head already runs on the port, which is then used
 * and left running; {@link #close()} stops what it started and checks that no native library copy
 * was left in /tmp/ray.
 *
 * <pre>{@code
 * static LocalRayCluster ray;
 * @BeforeAll static void start() throws Exception { ray = LocalRayCluster.start(6379, 8); }
 * @AfterAll static void stop() throws Exception { ray.close(); }
 * }</pre>
 */
public final class LocalRayCluster implements AutoCloseable {
  private final int port;
  private final boolean startedHere;
  private final Set<Path> copiesBefore;

  private LocalRayCluster(int port, boolean startedHere, Set<Path> copiesBefore) {
    this.port = port;
    this.startedHere = startedHere;
    this.copiesBefore = copiesBefore;
  }

  /** A head on {@code port} with {@code cpus} logical CPUs, started unless one runs there. */
  public static LocalRayCluster start(int port, int cpus) throws IOException, InterruptedException {
    Set<Path> before = nativeCopies();
    if (run("status", "--port", Integer.toString(port)) == 0) {
      return new LocalRayCluster(port, false, before);
    }
    assertEquals(
        0,
        run("start", "--port", Integer.toString(port), "--cpus", Integer.toString(cpus)),
        "scripts/ray-cluster start failed");
    return new LocalRayCluster(port, true, before);
  }

  /** {@code 127.0.0.1:<port>}. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (startedHere) {
      run("stop");
    }
    Set<Path> left = nativeCopies();
    left.removeAll(copiesBefore);
    assertEquals(Set.of(), left, "native library copies our drivers left in /tmp/ray");
  }

  /** Runs {@code scripts/ray-cluster} with {@code args}; returns its exit code. */
  public static int run(String... args) throws IOException, InterruptedException {
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
