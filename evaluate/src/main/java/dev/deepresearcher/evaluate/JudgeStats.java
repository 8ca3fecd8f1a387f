package dev.deepresearcher.evaluate;

/**
 * What the judge did during one evaluation.
 *
 * @param needed answers that needed a verdict (not an exact match, not a broken format)
 * @param fromCache of those, verdicts read from the cache without a request
 * @param unparseable replies without a verdict, counted incorrect
 * @param failed answers the judge could not be reached for, counted incorrect and not cached
 */
public record JudgeStats(int needed, int fromCache, int unparseable, int failed) {
  /** One line for the log. */
  public String summary() {
    return "judge: "
        + needed
        + " answers ("
        + (needed - fromCache)
        + " asked now, "
        + fromCache
        + " from cache): "
        + unparseable
        + " unparseable (counted incorrect), "
        + failed
        + " failed (counted incorrect, not cached: rerun to retry them)";
  }
}
