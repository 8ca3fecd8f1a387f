package dev.deepresearcher.core.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a main class in a child JVM with this test JVM's class path and the flags DJL needs, for
 * tests that kill a process (SIGKILL) half-way and check what it left on disk.
 *
 * <pre>
 * Process child = ChildJvm.start(TrainGrpo.class, List.of("trainer.total_steps=4"), dir.resolve("child.log"));
 * </pre>
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** Starts {@code main} with {@code args}; its stdout and stderr go to {@code log}. */
  public static Process start(Class<?> main, List<String> args, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // The opens and native access DJL needs, and its offline and logging settings.
      if (arg.startsWith("--add-opens")
          || arg.startsWith("--enable-native-access")
          || arg.startsWith("--sun-misc")
          || arg.startsWith("-Dai.djl")
          || arg.startsWith("-Dorg.slf4j")) {
        command.add(arg);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(args);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
