package dev.deepresearcher.search.internal;

import java.util.function.LongSupplier;

/**
 * A requests-per-second limit: tokens refill continuously up to a burst of one second's worth;
 * {@link #acquire} waits for a token, but never past a deadline.
 */
final class TokenBucket {
  /** Waits; replaced in tests. */
  @FunctionalInterface
  interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  private final double perNano;
  private final double capacity;
  private final LongSupplier clock;
  private final Sleeper sleeper;
  private double tokens;
  private long last;

  TokenBucket(double perSecond, LongSupplier nanoClock, Sleeper sleeper) {
    if (perSecond <= 0) {
      throw new IllegalArgumentException("perSecond must be positive, got " + perSecond);
    }
    this.perNano = perSecond / 1e9;
    this.capacity = Math.max(1.0, perSecond);
    this.clock = nanoClock;
    this.sleeper = sleeper;
    this.tokens = capacity;
    this.last = nanoClock.getAsLong();
  }

  /**
   * Takes a token, waiting for one if needed.
   *
   * @return false when no token comes before {@code deadlineNanos} (nothing is taken then)
   */
  boolean acquire(long deadlineNanos) throws InterruptedException {
    long wait;
    synchronized (this) {
      long now = clock.getAsLong();
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      wait = (long) Math.ceil((1 - tokens) / perNano);
      if (now + wait > deadlineNanos) {
        return false;
      }
      // Reserve the token now: waiters queue up in time instead of racing for it.
      tokens -= 1;
    }
    sleeper.sleepNanos(wait);
    return true;
  }

  private void refill(long now) {
    tokens = Math.min(capacity, tokens + (now - last) * perNano);
    last = now;
  }
}
