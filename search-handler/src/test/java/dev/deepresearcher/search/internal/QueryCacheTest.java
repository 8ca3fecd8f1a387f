package dev.deepresearcher.search.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deepresearcher.core.cache.DiskCache;
import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.core.config.SearchConfig;
import dev.deepresearcher.search.SearchBackend;
import dev.deepresearcher.search.SearchHit;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryCacheTest {
  @TempDir Path dir;

  private static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-11-21T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @Test
  void staleSearchResultIsRefetched() {
    MovableClock clock = new MovableClock();
    AtomicInteger calls = new AtomicInteger();
    SearchBackend backend =
        new SearchBackend() {
          @Override
          public String name() {
            return "counting";
          }

          @Override
          public List<SearchHit> search(String query, int topK) {
            return List.of(new SearchHit("v" + calls.incrementAndGet(), "https://x", "s"));
          }
        };
    SearchConfig config = ConfigLoader.load(null, List.of("search.cache_ttl=7d")).search();
    try (DiskCache cache = DiskCache.open(dir.resolve("c.db"), 1 << 20, clock)) {
      SearchService service =
          SearchServices.create(backend, config, "counting", cache, new HandlerMetrics());
      assertEquals("v1", service.search(List.of("q"), 3).get(0).hits().get(0).title());
      clock.now = clock.now.plus(Duration.ofDays(7)).minusSeconds(1);
      assertEquals(
          "v1", service.search(List.of("q"), 3).get(0).hits().get(0).title(), "still fresh");
      clock.now = clock.now.plusSeconds(1);
      assertEquals(
          "v2", service.search(List.of("q"), 3).get(0).hits().get(0).title(), "stale: refetched");
      assertEquals(2, calls.get());
    }
  }

  @Test
  void queriesThatDifferOnlyInSpacingCaseOrWidthShareAnEntry() {
    assertEquals(
        QueryCache.normalize("Capital of France"), QueryCache.normalize("  capital\tof   FRANCE "));
    assertEquals(
        QueryCache.normalize("ｆｒａｎｃｅ"), QueryCache.normalize("france"), "NFKC folds full-width");
  }
}
