package dev.deepresearcher.policy;

import java.util.Arrays;
import java.util.Objects;

/**
 * One generated continuation.
 *
 * @param tokens the new token ids, including the end-of-sequence token or the tokens of the stop
 *     string that ended it
 * @param logprobs for each token, its log-probability under the distribution it was drawn from
 *     before top-k / top-p ({@code log_softmax(logits / T)}, T = 1 when greedy), which is what the
 *     trainer recomputes
 * @param finishReason why it stopped
 * @param stop the stop string that ended it, or {@code null}
 * @param text the decoded new tokens, without a final end-of-sequence token
 */
public record Generation(
    int[] tokens, float[] logprobs, FinishReason finishReason, String stop, String text) {
  public Generation {
    tokens = tokens.clone();
    logprobs = logprobs.clone();
    Objects.requireNonNull(finishReason, "finishReason");
    Objects.requireNonNull(text, "text");
    if (tokens.length != logprobs.length) {
      throw new IllegalArgumentException(
          tokens.length + " tokens but " + logprobs.length + " log-probabilities");
    }
    if ((stop != null) != (finishReason == FinishReason.STOP_STRING)) {
      throw new IllegalArgumentException("stop is given exactly when the finish reason is a stop");
    }
  }

  @Override
  public int[] tokens() {
    return tokens.clone();
  }

  @Override
  public float[] logprobs() {
    return logprobs.clone();
  }

  /** The summed log-probability of the tokens. */
  public double logprob() {
    double sum = 0;
    for (float lp : logprobs) {
      sum += lp;
    }
    return sum;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Generation g
        && Arrays.equals(tokens, g.tokens)
        && Arrays.equals(logprobs, g.logprobs)
        && finishReason == g.finishReason
        && Objects.equals(stop, g.stop)
        && text.equals(g.text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        Arrays.hashCode(tokens), Arrays.hashCode(logprobs), finishReason, stop, text);
  }

  @Override
  public String toString() {
    return "Generation["
        + tokens.length
        + " tokens, "
        + finishReason.jsonName()
        + ", "
        + text
        + "]";
  }
}
