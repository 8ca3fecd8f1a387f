package dev.deepresearcher.search;

import dev.deepresearcher.core.DeepResearcherException;

/** Root of the search handler's exceptions. */
public class SearchException extends DeepResearcherException {
  private static final long serialVersionUID = 1L;

  public SearchException(String message) {
    super(message);
  }

  public SearchException(String message, Throwable cause) {
    super(message, cause);
  }
}
