package dev.deepresearcher.search.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.core.config.SearchConfig;
import dev.deepresearcher.search.BackendException;
import dev.deepresearcher.search.BackendException.Kind;
import dev.deepresearcher.search.SearchBackend;
import dev.deepresearcher.search.SearchHit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The pool's retries, backoff, deadline and limits, on a clock the test controls. */
class BackendPoolTest {
  private final AtomicLong clock = new AtomicLong();
  private final List<Long> sleeps = new CopyOnWriteArrayList<>();

  private static SearchConfig config(String... overrides) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "search.initial_backoff=100ms",
                "search.max_backoff=1s",
                "search.max_attempts=4",
                "search.deadline=10s",
                "search.timeout=2s",
                "search.requests_per_second=1000"));
    all.addAll(List.of(overrides));
    return ConfigLoader.load(null, all).search();
  }

  /** A backend whose n-th call (from 1) does what {@code script} says. */
  private static class Scripted implements SearchBackend {
    final AtomicInteger calls = new AtomicInteger();
    final IntFunction<List<SearchHit>> script;

    Scripted(IntFunction<List<SearchHit>> script) {
      this.script = script;
    }

    @Override
    public String name() {
      return "scripted";
    }

    @Override
    public List<SearchHit> search(String query, int topK) {
      return script.apply(calls.incrementAndGet());
    }
  }

  private BackendPool pool(SearchBackend backend, SearchConfig config) {
    return new BackendPool(
        backend,
        config,
        new HandlerMetrics(),
        clock::get,
        nanos -> {
          sleeps.add(nanos);
          clock.addAndGet(nanos);
        },
        RandomGenerator.of("L64X128MixRandom"));
  }

  private static final List<SearchHit> HITS = List.of(new SearchHit("t", "https://x", "s"));

  @Test
  void retryableFailuresAreRetriedWithGrowingWaitsUntilOneSucceeds() throws Exception {
    Scripted backend =
        new Scripted(
            n ->
                switch (n) {
                  case 1 -> throw new BackendException(Kind.SERVER_ERROR, "500");
                  case 2 -> throw new BackendException(Kind.TIMEOUT, "slow");
                  case 3 -> throw new BackendException(Kind.BAD_RESPONSE, "garbage");
                  default -> HITS;
                });
    assertEquals(HITS, pool(backend, config()).search("q", 3));
    assertEquals(4, backend.calls.get());
    assertEquals(3, sleeps.size());
    // Equal jitter: half fixed, half random, doubling from 100 ms.
    assertTrue(sleeps.get(0) >= 50_000_000 && sleeps.get(0) <= 100_000_000, sleeps.toString());
    assertTrue(sleeps.get(1) >= 100_000_000 && sleeps.get(1) <= 200_000_000, sleeps.toString());
    assertTrue(sleeps.get(2) >= 200_000_000 && sleeps.get(2) <= 400_000_000, sleeps.toString());
  }

  @Test
  void retryAfterDecidesTheWait() throws Exception {
    Scripted backend =
        new Scripted(
            n -> {
              if (n == 1) {
                throw new BackendException(Kind.RATE_LIMITED, "429", Duration.ofSeconds(3), null);
              }
              return HITS;
            });
    assertEquals(HITS, pool(backend, config()).search("q", 3));
    assertEquals(List.of(3_000_000_000L), sleeps);
  }

  @Test
  void attemptsAreBounded() {
    Scripted backend =
        new Scripted(
            n -> {
              throw new BackendException(Kind.SERVER_ERROR, "backend answered 500");
            });
    BackendException e =
        assertThrows(BackendException.class, () -> pool(backend, config()).search("q", 3));
    assertEquals(4, backend.calls.get());
    assertEquals("backend answered 500 (after 4 attempts)", e.getMessage());
  }

  @Test
  void aNonRetryableFailureIsNotRetried() {
    Scripted backend =
        new Scripted(
            n -> {
              throw new BackendException(Kind.CLIENT_ERROR, "401 bad key");
            });
    BackendException e =
        assertThrows(BackendException.class, () -> pool(backend, config()).search("q", 3));
    assertEquals(1, backend.calls.get());
    assertEquals("401 bad key", e.getMessage());
  }

  @Test
  void theDeadlineStopsRetriesThatWouldRunPastIt() {
    Scripted backend =
        new Scripted(
            n -> {
              throw new BackendException(Kind.RATE_LIMITED, "429", Duration.ofSeconds(8), null);
            });
    BackendException e =
        assertThrows(
            BackendException.class,
            () -> pool(backend, config("search.max_attempts=10")).search("q", 3));
    assertEquals(2, backend.calls.get(), "8 s + 8 s would pass the 10 s deadline");
    assertTrue(
        e.getMessage().contains("gave up: the next attempt would pass the 10 s deadline"),
        e.getMessage());
  }

  @Test
  void unexpectedExceptionsBecomeInternalFailures() {
    Scripted backend =
        new Scripted(
            n -> {
              throw new IllegalStateException("bug");
            });
    BackendException e =
        assertThrows(BackendException.class, () -> pool(backend, config()).search("q", 3));
    assertEquals(Kind.INTERNAL, e.kind());
  }

  @Test
  void requestsInFlightStayWithinTheLimit() throws Exception {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    SearchBackend slow =
        new SearchBackend() {
          @Override
          public String name() {
            return "slow";
          }

          @Override
          public List<SearchHit> search(String query, int topK) {
            peak.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
              Thread.sleep(20);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            now.decrementAndGet();
            return HITS;
          }
        };
    BackendPool pool =
        new BackendPool(
            slow,
            config("search.max_in_flight=3"),
            new HandlerMetrics(),
            System::nanoTime,
            nanos -> Thread.sleep(nanos / 1_000_000),
            RandomGenerator.of("L64X128MixRandom"));
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<SearchHit>>> futures = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        futures.add(exec.submit(() -> pool.search("q", 3)));
      }
      for (Future<List<SearchHit>> f : futures) {
        assertEquals(HITS, f.get());
      }
    }
    assertEquals(3, peak.get());
  }

  @Test
  void theRateLimitSpacesRequests() throws Exception {
    Scripted backend = new Scripted(n -> HITS);
    BackendPool pool = pool(backend, config("search.requests_per_second=2"));
    for (int i = 0; i < 6; i++) {
      pool.search("q", 3);
    }
    // A burst of 2, then one request every 500 ms: 4 waits of 0.5 s on the fake clock.
    assertEquals(4, sleeps.size(), sleeps.toString());
    assertTrue(
        clock.get() >= 1_900_000_000L && clock.get() <= 2_100_000_000L, "clock " + clock.get());
  }

  @Test
  void aBackendWithoutARateLimitIsNotThrottled() throws Exception {
    Scripted local =
        new Scripted(n -> HITS) {
          @Override
          public boolean rateLimited() {
            return false;
          }
        };
    BackendPool pool = pool(local, config("search.requests_per_second=2"));
    // At 2 a second, 600 queries would queue for five minutes, past the 10 s deadline.
    for (int i = 0; i < 600; i++) {
      assertEquals(HITS, pool.search("q" + i, 3));
    }
    assertEquals(List.of(), sleeps);
    assertEquals(0, clock.get());
  }
}
