package dev.deepresearcher.browse.internal;

/** A URL that could not be fetched or read; the message is what the policy is told. */
public final class FetchException extends Exception {
  private static final long serialVersionUID = 1L;

  public FetchException(String message) {
    super(message);
  }

  public FetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
