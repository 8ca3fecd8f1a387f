package dev.deepresearcher.browse;

import dev.deepresearcher.core.DeepResearcherException;

/** Root of the browse agent's exceptions. */
public class BrowseException extends DeepResearcherException {
  private static final long serialVersionUID = 1L;

  public BrowseException(String message) {
    super(message);
  }

  public BrowseException(String message, Throwable cause) {
    super(message, cause);
  }
}
