package dev.deepresearcher.evaluate;

/**
 * Metrics of one data source (or all of them), as fractions in [0, 1].
 *
 * @param f1 mean word-set F1
 * @param em mean exact match
 * @param mbe mean LLM-judged correctness; {@code null} when no judge was configured
 * @param n rollouts scored
 */
public record SourceMetrics(double f1, double em, Double mbe, int n) {
  public SourceMetrics {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
  }
}
