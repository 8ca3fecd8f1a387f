package dev.deepresearcher.core;

/**
 * Root of the exceptions the framework throws for a user mistake or a failed dependency.
 *
 * <p>The message is written for the person running the tool: it names the offending value, the rule
 * it breaks and how to fix it. Command-line tools print it without a stack trace. Each module has
 * its own subclass; a cause is always kept.
 */
public class DeepResearcherException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeepResearcherException(String message) {
    super(message);
  }

  public DeepResearcherException(String message, Throwable cause) {
    super(message, cause);
  }
}
