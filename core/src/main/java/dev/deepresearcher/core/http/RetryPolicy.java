package dev.deepresearcher.core.http;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently a request is retried: attempt {@code n} (from 1) waits {@code
 * min(maxBackoff, initialBackoff · 2^(n−1))}, half of it fixed and half random ("equal jitter"), so
 * that many clients hitting the same limit spread out.
 *
 * @param maxAttempts attempts in all, at least 1
 * @param initialBackoff wait after the first failure (before jitter)
 * @param maxBackoff longest wait
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  /** 6 attempts, waits from 1 s up to 30 s. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(30));

  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "need 0 <= initialBackoff <= maxBackoff, got " + initialBackoff + " and " + maxBackoff);
    }
  }

  /** The wait after failed attempt {@code attempt} (1-based). */
  public Duration backoff(int attempt, RandomGenerator random) {
    long base = initialBackoff.toMillis();
    for (int i = 1; i < attempt && base < maxBackoff.toMillis(); i++) {
      base *= 2;
    }
    base = Math.min(base, maxBackoff.toMillis());
    long half = base / 2;
    return Duration.ofMillis(base - half + (half == 0 ? 0 : random.nextLong(half + 1)));
  }
}
