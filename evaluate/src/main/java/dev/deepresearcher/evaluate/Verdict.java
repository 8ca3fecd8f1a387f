package dev.deepresearcher.evaluate;

/**
 * A judge's decision on one answer.
 *
 * @param correct counted as correct
 * @param outcome how the decision was reached
 * @param fromCache whether it came from the on-disk cache, without a request
 */
public record Verdict(boolean correct, Outcome outcome, boolean fromCache) {
  /** How a verdict came about. */
  public enum Outcome {
    /** The judge answered with a verdict. */
    JUDGED,
    /** The judge's replies held no verdict after the allowed retries: counted incorrect. */
    UNPARSEABLE,
    /** The judge could not be reached after the allowed attempts: counted incorrect. */
    FAILED
  }
}
