package dev.deepresearcher.core.actor.internal.ray;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Java Ray's worker JVMs run. Ray starts them with the {@code java} on the PATH that {@code
 * ray start} had, which the driver cannot ask Ray for; on the driver's own machine it can read it
 * from the raylet process's environment. Elsewhere it is unknown, and only flags every JDK accepts
 * are used.
 *
 * @param java the {@code java} binary
 * @param feature its feature version (17, 21, 25…)
 */
record WorkerJava(Path java, int feature) {
  private static final Pattern RELEASE_VERSION =
      Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?(\\d+)");
  private static final Pattern SPEC_VERSION =
      Pattern.compile("java\\.specification\\.version = (?:1\\.)?(\\d+)");

  /**
   * The Java of the raylet on this machine that serves the head at {@code port} (or of any raylet
   * here when none names that port), if one runs and its Java is found.
   */
  static Optional<WorkerJava> ofLocalRaylet(int port) {
    List<ProcessHandle> raylets =
        ProcessHandle.allProcesses()
            .filter(p -> p.info().command().map(c -> c.endsWith("/raylet")).orElse(false))
            .toList();
    Optional<ProcessHandle> chosen =
        raylets.stream()
            .filter(
                p ->
                    p.info()
                        .arguments()
                        .map(
                            args ->
                                List.of(args).stream()
                                    .anyMatch(
                                        a ->
                                            a.startsWith("--gcs-address")
                                                && a.endsWith(":" + port)))
                        .orElse(false))
            .findFirst()
            .or(() -> raylets.stream().findFirst());
    return chosen.flatMap(WorkerJava::javaOf);
  }

  private static Optional<WorkerJava> javaOf(ProcessHandle raylet) {
    String path;
    try {
      String environ =
          Files.readString(Path.of("/proc", Long.toString(raylet.pid()), "environ"))
              .replace('\0', '\n');
      Matcher m = Pattern.compile("(?m)^PATH=(.*)$").matcher(environ);
      if (!m.find()) {
        return Optional.empty();
      }
      path = m.group(1);
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // not Linux, or not our process
    }
    for (String dir : path.split(":")) {
      if (dir.isBlank()) {
        continue;
      }
      Path java = Path.of(dir, "java");
      if (Files.isExecutable(java)) {
        int feature = feature(java);
        return feature > 0 ? Optional.of(new WorkerJava(java, feature)) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The feature version of a {@code java} binary: its JDK's release file, else asking it. */
  static int feature(Path java) {
    try {
      Path home = java.toRealPath().getParent().getParent();
      Path release = home.resolve("release");
      if (Files.isRegularFile(release)) {
        Matcher m = RELEASE_VERSION.matcher(Files.readString(release));
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
      Process p =
          new ProcessBuilder(java.toString(), "-XshowSettings:properties", "-version")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      Matcher m = SPEC_VERSION.matcher(out);
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
