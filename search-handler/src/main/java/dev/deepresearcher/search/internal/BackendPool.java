package dev.deepresearcher.search.internal;

import dev.deepresearcher.core.config.SearchConfig;
import dev.deepresearcher.core.http.RetryPolicy;
import dev.deepresearcher.search.BackendException;
import dev.deepresearcher.search.BackendException.Kind;
import dev.deepresearcher.search.SearchBackend;
import dev.deepresearcher.search.SearchHit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * A backend behind limits: at most {@code max_in_flight} requests at once, at most {@code
 * requests_per_second} started per second (for a {@link SearchBackend#rateLimited() rate-limited}
 * backend), retries with exponential backoff and jitter on retryable failures (Retry-After wins),
 * everything within the query's deadline.
 */
final class BackendPool implements AutoCloseable {
  private final SearchBackend backend;
  private final HandlerMetrics metrics;
  private final Semaphore inFlight;

  /** Null for a backend without a rate limit. */
  private final TokenBucket rate;

  private final RetryPolicy retry;
  private final Duration deadline;
  private final LongSupplier clock;
  private final TokenBucket.Sleeper sleeper;
  private final RandomGenerator random;

  BackendPool(
      SearchBackend backend,
      SearchConfig config,
      HandlerMetrics metrics,
      LongSupplier nanoClock,
      TokenBucket.Sleeper sleeper,
      RandomGenerator random) {
    this.backend = backend;
    this.metrics = metrics;
    this.inFlight = new Semaphore(config.maxInFlight(), true);
    this.rate =
        backend.rateLimited()
            ? new TokenBucket(config.requestsPerSecond(), nanoClock, sleeper)
            : null;
    this.retry =
        new RetryPolicy(config.maxAttempts(), config.initialBackoff(), config.maxBackoff());
    this.deadline = config.deadline();
    this.clock = nanoClock;
    this.sleeper = sleeper;
    this.random = random;
  }

  String name() {
    return backend.name();
  }

  SearchBackend backend() {
    return backend;
  }

  /**
   * Hits for {@code query}.
   *
   * @throws BackendException the last failure, when attempts or the deadline run out
   */
  List<SearchHit> search(String query, int topK) throws InterruptedException {
    long end = clock.getAsLong() + deadline.toNanos();
    BackendException last = null;
    for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
      long remaining = end - clock.getAsLong();
      if (remaining <= 0 || !inFlight.tryAcquire(remaining, TimeUnit.NANOSECONDS)) {
        throw busy(last);
      }
      try {
        if (rate != null && !rate.acquire(end)) {
          throw busy(last);
        }
        List<SearchHit> hits = backend.search(query, topK);
        metrics.backendRequest(backend.name(), "ok");
        return hits;
      } catch (BackendException e) {
        metrics.backendRequest(backend.name(), "error");
        metrics.backendError(backend.name(), e.kind().label());
        last = e;
      } catch (RuntimeException e) {
        metrics.backendRequest(backend.name(), "error");
        metrics.backendError(backend.name(), Kind.INTERNAL.label());
        last = new BackendException(Kind.INTERNAL, backend.name() + " failed: " + e, null, e);
      } finally {
        inFlight.release();
      }
      if (!last.kind().retryable() || attempt == retry.maxAttempts()) {
        break;
      }
      Duration wait =
          last.retryAfter() != null ? last.retryAfter() : retry.backoff(attempt, random);
      if (clock.getAsLong() + wait.toNanos() >= end) {
        throw new BackendException(
            last.kind(),
            last.getMessage()
                + " (gave up: the next attempt would pass the "
                + seconds(deadline)
                + " deadline)",
            null,
            last);
      }
      sleeper.sleepNanos(wait.toNanos());
    }
    throw new BackendException(
        last.kind(),
        last.kind().retryable()
            ? last.getMessage() + " (after " + retry.maxAttempts() + " attempts)"
            : last.getMessage(),
        null,
        last);
  }

  private BackendException busy(BackendException last) {
    String message =
        backend.name()
            + " is saturated: no request slot within the "
            + seconds(deadline)
            + " deadline";
    return new BackendException(
        Kind.RATE_LIMITED,
        last == null ? message : message + "; last: " + last.getMessage(),
        null,
        last);
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  @Override
  public void close() {
    backend.close();
  }
}
