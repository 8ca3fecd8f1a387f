package dev.deepresearcher.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void inALogItPrintsALineAtEveryTenthOfTheWay() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    AtomicLong clock = new AtomicLong();
    try (ProgressBar bar =
        ProgressBar.start(
            "judging",
            100,
            new PrintStream(buffer, true, StandardCharsets.UTF_8),
            false,
            clock::get)) {
      for (int i = 0; i < 100; i++) {
        clock.addAndGet(1_000_000_000L);
        bar.step();
      }
    }
    String[] lines = buffer.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(10, lines.length, String.join("\n", lines));
    assertEquals("judging [###...........................] 10/100  10% 0m10s eta 1m30s", lines[0]);
    assertEquals("judging [##############################] 100/100 100% 1m40s", lines[9]);
  }

  @Test
  void onATerminalItRedrawsOneLineAtMostFiveTimesASecond() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    AtomicLong clock = new AtomicLong();
    try (ProgressBar bar =
        ProgressBar.start(
            "x", 1000, new PrintStream(buffer, true, StandardCharsets.UTF_8), true, clock::get)) {
      for (int i = 0; i < 1000; i++) {
        clock.addAndGet(1_000_000L); // 1 ms per item: one second in all
        bar.step();
      }
    }
    String out = buffer.toString(StandardCharsets.UTF_8);
    long redraws = out.chars().filter(c -> c == '\r').count();
    assertTrue(redraws >= 5 && redraws <= 8, redraws + " redraws");
    assertTrue(out.endsWith("1000/1000 100% 0m01s\n"), out);
  }
}
