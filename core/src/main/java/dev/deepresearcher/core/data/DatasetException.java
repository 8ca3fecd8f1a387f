package dev.deepresearcher.core.data;

import dev.deepresearcher.core.DeepResearcherException;

/** A dataset file that cannot be read as questions; the message names the file and the row. */
public final class DatasetException extends DeepResearcherException {
  private static final long serialVersionUID = 1L;

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
