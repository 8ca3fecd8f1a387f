package dev.deepresearcher.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.cache.DiskCache;
import dev.deepresearcher.core.config.ConfigLoader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A handler process killed with SIGKILL while it writes search results leaves a cache that opens,
 * passes SQLite's integrity check, and still answers every query whose response had been sent.
 */
class CacheCrashTest {
  @TempDir Path dir;

  @Test
  void aKillMinusNineMidWriteLeavesAUsableSearchCache() throws Exception {
    Path cacheFile = dir.resolve("cache.db");
    Path urlFile = dir.resolve("url");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                HandlerChild.class.getName(),
                cacheFile.toString(),
                urlFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    ConcurrentLinkedQueue<String> answered = new ConcurrentLinkedQueue<>();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(urlFile)) {
        assertTrue(
            child.isAlive() && System.nanoTime() < deadline, () -> "child did not start: " + log());
        Thread.sleep(20);
      }
      URI url = URI.create(Files.readString(urlFile));
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger next = new AtomicInteger();
      try (HandlerClient client =
              new HandlerClient(
                  List.of(url), null, Duration.ofSeconds(10), Duration.ofMillis(1), 64);
          ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int t = 0; t < 8; t++) {
          exec.submit(
              () -> {
                while (!stop.get()) {
                  List<String> batch = new ArrayList<>();
                  for (int i = 0; i < 8; i++) {
                    batch.add("query number " + next.getAndIncrement());
                  }
                  try {
                    for (SearchResult r : client.search(batch, 3)) {
                      if (r.ok()) {
                        answered.add(r.query());
                      }
                    }
                  } catch (SearchException e) {
                    return; // the handler is gone
                  }
                }
              });
        }
        while (answered.size() < 400 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        child.destroyForcibly(); // SIGKILL, mid-write: the clients keep sending until it is gone
        child.waitFor(30, TimeUnit.SECONDS);
        stop.set(true);
      }
    } finally {
      child.destroyForcibly();
    }
    assertTrue(answered.size() >= 400, "answered " + answered.size());

    try (DiskCache cache = DiskCache.open(cacheFile, Long.MAX_VALUE)) {
      assertEquals("ok", cache.integrityCheck());
      assertTrue(cache.stats().entries() >= answered.size(), cache.stats().toString());
    }
    // A new handler on the same cache answers every query that was answered before the kill
    // without asking its backend.
    AtomicInteger backendCalls = new AtomicInteger();
    SearchBackend counting =
        new SearchBackend() {
          @Override
          public String name() {
            return "child";
          }

          @Override
          public List<SearchHit> search(String query, int topK) {
            backendCalls.incrementAndGet();
            return HandlerChild.hitsFor(query);
          }
        };
    var config = ConfigLoader.load(null, List.of("cache.path=" + cacheFile));
    try (SearchHandler handler = SearchHandler.startEmbedded(config, Map.of(), counting);
        HandlerClient client =
            new HandlerClient(
                List.of(handler.url()), null, Duration.ofSeconds(30), Duration.ofSeconds(1), 256)) {
      List<String> queries = new ArrayList<>(answered);
      List<SearchResult> results = client.search(queries, 3);
      for (SearchResult r : results) {
        assertEquals(HandlerChild.hitsFor(r.query()), r.hits(), r.query());
      }
      assertEquals(0, backendCalls.get(), "every answered query came from the cache");
    }
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("child.log"));
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
