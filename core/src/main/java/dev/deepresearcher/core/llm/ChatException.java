package dev.deepresearcher.core.llm;

import dev.deepresearcher.core.DeepResearcherException;

/** A chat request that failed for good: retries used up, or an error retrying cannot fix. */
public final class ChatException extends DeepResearcherException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final boolean retryable;

  public ChatException(String message, int status, boolean retryable, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.retryable = retryable;
  }

  /** The last HTTP status, or -1 when no response came (timeout, connection refused). */
  public int status() {
    return status;
  }

  /**
   * Whether the last failure was of a kind that retrying might fix (429, 5xx, timeouts), i.e. the
   * retries ran out; false for a request the server will never accept (401, 400…).
   */
  public boolean retryable() {
    return retryable;
  }
}
