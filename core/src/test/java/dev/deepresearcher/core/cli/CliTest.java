package dev.deepresearcher.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.DeepResearcherException;
import dev.deepresearcher.core.testing.RunCli;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class CliTest {
  @Command(name = "tool")
  static final class Tool implements Callable<Integer> {
    @Option(names = "--fail")
    String fail = "";

    @Mixin ConfigOptions config;

    @Override
    public Integer call() throws Exception {
      switch (fail) {
        case "user" -> throw new DeepResearcherException("rollouts.json has 3 rows but data has 4");
        case "io" -> throw new NoSuchFileException("missing.parquet");
        case "bug" -> throw new IllegalStateException("invariant broken");
        case "config" -> config.load();
        default -> {}
      }
      return 0;
    }
  }

  private static String[] run(String... args) {
    RunCli.Result r = RunCli.run(new Tool(), args);
    return new String[] {Integer.toString(r.exitCode()), r.err()};
  }

  @Test
  void aUserMistakeIsOneLineWithoutAStackTrace() {
    String[] r = run("--fail", "user");
    assertEquals("1", r[0]);
    assertEquals("error: rollouts.json has 3 rows but data has 4\n", r[1]);
  }

  @Test
  void aMissingFileSaysWhichFile() {
    String[] r = run("--fail", "io");
    assertEquals("1", r[0]);
    assertEquals("error: no such file: missing.parquet\n", r[1]);
  }

  @Test
  void configurationProblemsAreAllListedWithoutAStackTrace() {
    String[] r = run("--fail", "config", "run.seed=x", "reward.name=y");
    assertEquals("1", r[0]);
    assertTrue(r[1].startsWith("error: the configuration has 2 problems:"), r[1]);
    assertFalse(r[1].contains("\tat "), r[1]);
  }

  @Test
  void aCommandLineMistakeIsAUsageError() {
    String[] r = run("--fial", "user");
    assertEquals("2", r[0]);
    assertTrue(r[1].contains("error: Unknown option: '--fial'"), r[1]);
    assertTrue(r[1].contains("--fail"), "suggests the close option: " + r[1]);
  }

  @Test
  void aBugKeepsItsStackTrace() {
    String[] r = run("--fail", "bug");
    assertEquals("70", r[0]);
    assertTrue(r[1].contains("internal error"), r[1]);
    assertTrue(r[1].contains("IllegalStateException: invariant broken"), r[1]);
    assertTrue(r[1].contains("\tat "), r[1]);
  }

  @Test
  void successIsZero() {
    assertEquals("0", run()[0]);
  }
}
