package dev.deepresearcher.core.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A progress bar on standard error for long loops. On a terminal it redraws one line at most every
 * 200 ms; otherwise (a log file, CI) it prints a line at every tenth of the way. Thread-safe.
 *
 * <pre>{@code
 * try (ProgressBar bar = ProgressBar.start("judging", items.size())) {
 *   for (Item item : items) {
 *     judge(item);
 *     bar.step();
 *   }
 * }
 * }</pre>
 */
public final class ProgressBar implements AutoCloseable {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final String label;
  private final long total;
  private final PrintStream out;
  private final boolean interactive;
  private final LongSupplier clock;
  private final long startNanos;
  private final AtomicLong done = new AtomicLong();
  private long lastDrawNanos;
  private long lastDecile = -1;
  private boolean closed;

  ProgressBar(String label, long total, PrintStream out, boolean interactive, LongSupplier clock) {
    this.label = label;
    this.total = Math.max(0, total);
    this.out = out;
    this.interactive = interactive;
    this.clock = clock;
    this.startNanos = clock.getAsLong();
    this.lastDrawNanos = startNanos - REDRAW_NANOS;
  }

  /** A bar on standard error; drawn when standard error looks like a terminal. */
  public static ProgressBar start(String label, long total) {
    return new ProgressBar(label, total, System.err, isTerminal(), System::nanoTime);
  }

  /** A bar on {@code out}, line mode or redrawn, with the given clock (for tests). */
  public static ProgressBar start(
      String label, long total, PrintStream out, boolean interactive, LongSupplier nanoClock) {
    return new ProgressBar(label, total, out, interactive, nanoClock);
  }

  /** One more item done. */
  public void step() {
    advance(1);
  }

  /** {@code n} more items done. */
  public void advance(long n) {
    long now = done.addAndGet(n);
    render(now, false);
  }

  /** Items done so far. */
  public long done() {
    return done.get();
  }

  private synchronized void render(long now, boolean last) {
    if (closed) {
      return;
    }
    long t = clock.getAsLong();
    if (interactive) {
      if (!last && t - lastDrawNanos < REDRAW_NANOS && now < total) {
        return;
      }
      lastDrawNanos = t;
      out.print("\r" + line(now, t) + (last ? "\n" : ""));
      out.flush();
    } else {
      long decile = total == 0 ? 10 : now * 10 / total;
      if (decile > lastDecile && (decile > 0 || last)) {
        lastDecile = decile;
        out.println(line(now, t));
      }
    }
  }

  String line(long now, long t) {
    double fraction = total == 0 ? 1.0 : Math.min(1.0, (double) now / total);
    int filled = (int) Math.round(fraction * WIDTH);
    double seconds = (t - startNanos) / 1e9;
    String eta = "";
    if (now > 0 && now < total) {
      eta = String.format(Locale.ROOT, " eta %s", duration(seconds * (total - now) / now));
    }
    return String.format(
        Locale.ROOT,
        "%s [%s%s] %d/%d %3.0f%% %s%s",
        label,
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        now,
        total,
        fraction * 100,
        duration(seconds),
        eta);
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      render(done.get(), true);
      closed = true;
    }
  }

  /**
   * Whether standard error is probably a terminal (best effort: the JDK only knows its console).
   */
  static boolean isTerminal() {
    if ("dumb".equals(System.getenv("TERM")) || System.getenv("CI") != null) {
      return false;
    }
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // JDK 22+ returns a console even when redirected; isTerminal() tells the truth there.
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: a console exists only when attached to a terminal
    }
  }
}
