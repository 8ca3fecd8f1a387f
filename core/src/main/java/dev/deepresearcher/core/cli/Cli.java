package dev.deepresearcher.core.cli;

import dev.deepresearcher.core.DeepResearcherException;
import dev.deepresearcher.core.config.internal.Suggestions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Runs a picocli command the way every tool of this project behaves.
 *
 * <ul>
 *   <li>exit 0 on success;
 *   <li>exit 1 with {@code error: <message>} for a {@link DeepResearcherException} (bad data, bad
 *       configuration, a failed dependency) or an I/O error: the message says what to fix, and no
 *       stack trace is printed;
 *   <li>exit 2 with the message and usage for a command-line mistake;
 *   <li>exit 70 with the stack trace for anything else, which is a bug.
 * </ul>
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   System.exit(Cli.run(new MyCommand(), args));
 * }
 * }</pre>
 */
public final class Cli {
  /** A user mistake or a failed dependency: the message explains it. */
  public static final int EXIT_ERROR = 1;

  /** A command-line usage mistake. */
  public static final int EXIT_USAGE = 2;

  /** An internal error (a bug): reported with its stack trace. */
  public static final int EXIT_BUG = 70;

  private Cli() {}

  /** Runs {@code command} with {@code args} and returns the exit code. */
  public static int run(Object command, String[] args) {
    CommandLine cl = new CommandLine(command);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          String message = userMessage(e);
          if (message != null) {
            err.println("error: " + message);
            err.flush();
            return EXIT_ERROR;
          }
          err.println("internal error (please report it with this trace):");
          e.printStackTrace(err);
          err.flush();
          return EXIT_BUG;
        });
    cl.setParameterExceptionHandler(
        (e, args2) -> {
          CommandLine commandLine = e.getCommandLine();
          PrintWriter err = commandLine.getErr();
          String message = e.getMessage();
          // picocli starts some messages with its own "Error: ".
          err.println("error: " + (message.startsWith("Error: ") ? message.substring(7) : message));
          if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            for (String arg : unmatched.getUnmatched()) {
              if (arg.startsWith("-")) {
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                Suggestions.closest(name, commandLine.getCommandSpec().optionsMap().keySet())
                    .ifPresent(s -> err.println("Did you mean " + s + "?"));
              }
            }
          }
          err.println("Run with --help for usage.");
          err.flush();
          return EXIT_USAGE;
        });
    return cl.execute(args);
  }

  /** The message to show for an expected failure, or {@code null} for a bug. */
  static String userMessage(Throwable e) {
    if (e instanceof DeepResearcherException) {
      return e.getMessage();
    }
    if (e instanceof UncheckedIOException u) {
      return ioMessage(u.getCause());
    }
    if (e instanceof IOException io) {
      return ioMessage(io);
    }
    return null;
  }

  private static String ioMessage(IOException e) {
    if (e instanceof NoSuchFileException nsf) {
      return "no such file: " + nsf.getFile();
    }
    if (e instanceof AccessDeniedException ade) {
      return "permission denied: " + ade.getFile();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
