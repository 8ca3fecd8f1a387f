package dev.deepresearcher.search;

import java.time.Duration;

/** A backend request that failed, classified so that the pool knows whether retrying can help. */
public final class BackendException extends SearchException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** 429: slow down; retried after Retry-After or a backoff. */
    RATE_LIMITED(true),
    /** 5xx or 408: retried. */
    SERVER_ERROR(true),
    /** No answer in time: retried. */
    TIMEOUT(true),
    /** Refused or dropped connection: retried. */
    CONNECTION(true),
    /** An answer in a shape the backend does not promise (not JSON, missing fields): retried. */
    BAD_RESPONSE(true),
    /** 4xx other than 429/408, e.g. a bad key: not retried. */
    CLIENT_ERROR(false),
    /** A problem on our side of the backend (a broken index): not retried. */
    INTERNAL(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    /** Whether another attempt may succeed. */
    public boolean retryable() {
      return retryable;
    }

    /** The label used in metrics. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Kind kind;
  private final transient Duration retryAfter;

  public BackendException(Kind kind, String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  public BackendException(Kind kind, String message) {
    this(kind, message, null, null);
  }

  /** What went wrong. */
  public Kind kind() {
    return kind;
  }

  /** The server's Retry-After, or {@code null}. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
