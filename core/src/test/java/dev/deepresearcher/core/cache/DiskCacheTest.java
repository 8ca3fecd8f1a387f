package dev.deepresearcher.core.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskCacheTest {
  @TempDir Path dir;

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-11-21T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void storedValuesReadBackAndSurviveAReopen() {
    Path file = dir.resolve("sub/cache.db");
    try (DiskCache cache = DiskCache.open(file, 1 << 20)) {
      cache.put("search", "paris", bytes("[1]"), null);
      cache.put("judge", "paris", bytes("[2]"), null);
      cache.put("search", "paris", bytes("[3]"), null);
      assertArrayEquals(bytes("[3]"), cache.get("search", "paris").orElseThrow());
      assertArrayEquals(
          bytes("[2]"), cache.get("judge", "paris").orElseThrow(), "namespaces are apart");
      assertEquals(Optional.empty(), cache.get("search", "london"));
    }
    try (DiskCache cache = DiskCache.open(file, 1 << 20)) {
      assertArrayEquals(bytes("[3]"), cache.get("search", "paris").orElseThrow());
      assertEquals(2, cache.stats().entries());
      assertTrue(cache.remove("search", "paris"));
      assertFalse(cache.remove("search", "paris"));
    }
  }

  @Test
  void staleValuesAreMissesAfterTheirTimeToLive() {
    ManualClock clock = new ManualClock();
    try (DiskCache cache = DiskCache.open(dir.resolve("c.db"), 1 << 20, clock)) {
      cache.put("search", "q", bytes("v"), Duration.ofDays(7));
      cache.put("judge", "q", bytes("forever"), null);
      clock.advance(Duration.ofDays(7).minusSeconds(1));
      assertTrue(cache.get("search", "q").isPresent());
      clock.advance(Duration.ofSeconds(1));
      assertEquals(Optional.empty(), cache.get("search", "q"));
      clock.advance(Duration.ofDays(3650));
      assertTrue(cache.get("judge", "q").isPresent());
      DiskCache.Stats stats = cache.stats();
      assertEquals(2, stats.hits());
      assertEquals(1, stats.misses());
    }
  }

  @Test
  void theLeastRecentlyUsedValuesGoWhenTheSizeBoundIsExceeded() {
    ManualClock clock = new ManualClock();
    try (DiskCache cache = DiskCache.open(dir.resolve("c.db"), 10_000, clock)) {
      for (int i = 0; i < 9; i++) {
        cache.put("n", "k" + i, new byte[1000], null);
        clock.advance(Duration.ofHours(2));
      }
      assertTrue(cache.get("n", "k0").isPresent(), "k0 is read, so it becomes recently used");
      clock.advance(Duration.ofHours(2));
      cache.put("n", "k9", new byte[1000], null);
      cache.put("n", "k10", new byte[1000], null); // 11,000 > 10,000: evict down to 9,000
      DiskCache.Stats stats = cache.stats();
      assertTrue(stats.bytes() <= 9_000, stats.toString());
      assertTrue(cache.get("n", "k0").isPresent(), "recently read survives");
      assertEquals(Optional.empty(), cache.get("n", "k1"), "oldest unread goes first");
      assertEquals(Optional.empty(), cache.get("n", "k2"));
      assertTrue(cache.get("n", "k10").isPresent());
      assertEquals(2, stats.evictions());
    }
  }

  @Test
  void manyThreadsShareOneCache() throws Exception {
    try (DiskCache cache = DiskCache.open(dir.resolve("c.db"), 1 << 24)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 200; i++) {
                    String key = thread + ":" + i;
                    cache.put("n", key, bytes(key), null);
                    assertArrayEquals(bytes(key), cache.get("n", key).orElseThrow());
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertEquals(1600, cache.stats().entries());
    }
  }

  @Test
  void twoProcessesWorthOfHandlesShareOneFile() {
    Path file = dir.resolve("c.db");
    try (DiskCache a = DiskCache.open(file, 1 << 20);
        DiskCache b = DiskCache.open(file, 1 << 20)) {
      a.put("n", "k", bytes("from a"), null);
      assertArrayEquals(bytes("from a"), b.get("n", "k").orElseThrow());
    }
  }

  @Test
  void aKillMinusNineMidWriteLeavesAUsableCache() throws Exception {
    Path file = dir.resolve("crash.db");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CacheWriterChild.class.getName(),
                file.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    try {
      // Let it write for a while: wait until it has committed a few hundred entries.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        if (Files.exists(file)) {
          try (DiskCache peek = DiskCache.open(file, Long.MAX_VALUE)) {
            if (peek.stats().entries() > 300) {
              break;
            }
          }
        }
        assertTrue(child.isAlive(), () -> "child died early: " + log());
        Thread.sleep(50);
      }
    } finally {
      child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no cleanup
      child.waitFor(30, TimeUnit.SECONDS);
    }
    try (DiskCache cache = DiskCache.open(file, Long.MAX_VALUE)) {
      assertEquals("ok", cache.integrityCheck());
      long entries = cache.stats().entries();
      assertTrue(entries > 300, "entries " + entries);
      for (int i = 0; i < entries; i++) {
        String key = "key-" + i;
        byte[] value = cache.get("crash", key).orElseThrow(() -> new AssertionError("lost " + key));
        assertArrayEquals(CacheWriterChild.valueFor(key), value, key);
      }
      cache.put("crash", "after", bytes("writable"), null);
      assertTrue(cache.get("crash", "after").isPresent());
    }
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("child.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void anUnwritableLocationIsAClearError() throws IOException {
    Path blocker = dir.resolve("file");
    Files.writeString(blocker, "x");
    CacheException e =
        assertThrows(CacheException.class, () -> DiskCache.open(blocker.resolve("c.db"), 100));
    assertTrue(
        e.getMessage().startsWith("cannot open the cache " + blocker.resolve("c.db")),
        e.getMessage());
    assertTrue(e.getMessage().contains("point cache.path elsewhere"), e.getMessage());
  }
}
