package dev.deepresearcher.core.cache;

import dev.deepresearcher.core.DeepResearcherException;

/** The cache file cannot be opened or used; the message names the file and what to do. */
public final class CacheException extends DeepResearcherException {
  private static final long serialVersionUID = 1L;

  public CacheException(String message, Throwable cause) {
    super(message, cause);
  }
}
