package dev.deepresearcher.core.testing;

import dev.deepresearcher.core.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a command-line tool in-process the way {@code main} would, capturing what it prints. */
public final class RunCli {
  /** What a run returned and printed. */
  public record Result(int exitCode, String out, String err) {}

  private RunCli() {}

  /** Runs {@code command} through {@link Cli#run} with standard output and error captured. */
  public static synchronized Result run(Object command, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Cli.run(command, args);
      return new Result(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
