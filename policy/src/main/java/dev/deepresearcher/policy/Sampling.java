package dev.deepresearcher.policy;

import java.util.List;
import java.util.Objects;

/**
 * How tokens are chosen and when generation stops. Temperature 0 is greedy decoding (the most
 * likely token, the lowest id on a tie). Otherwise tokens are drawn from {@code softmax(logits /
 * T)} restricted to the {@code topK} most likely tokens (0: no limit), then to the smallest set of
 * them whose renormalised probability reaches {@code topP} (1: no limit), as transformers and vLLM
 * do. Each sequence of a batch draws from its own stream split from {@code seed}: the same seed and
 * prompts give the same tokens.
 *
 * <pre>{@code
 * Sampling greedy = Sampling.greedy(256).withStop(List.of("</tool_call>", "</answer>"));
 * Sampling rollout = Sampling.sample(512, 1.0, 1.0, 0, seed);
 * }</pre>
 *
 * @param maxNewTokens most tokens generated per sequence, ≥ 1
 * @param temperature 0 for greedy, else the softmax temperature (≤ 100)
 * @param topP nucleus mass in (0, 1]
 * @param topK most likely tokens kept, 0 for all
 * @param seed seed of the sampling streams
 * @param stopStrings generation of a sequence stops once its text contains one of these
 */
public record Sampling(
    int maxNewTokens,
    double temperature,
    double topP,
    int topK,
    long seed,
    List<String> stopStrings) {
  public Sampling {
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException(
          "maxNewTokens is " + maxNewTokens + " but must be at least 1; ask for 1 or more tokens");
    }
    if (!(temperature >= 0 && temperature <= 100)) {
      throw new IllegalArgumentException(
          "temperature is "
              + temperature
              + " but must be in [0, 100]; use 0 for greedy decoding or e.g. 1.0 to sample");
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException(
          "top_p is " + topP + " but must be in (0, 1]; use 1.0 to keep the whole distribution");
    }
    if (topK < 0) {
      throw new IllegalArgumentException(
          "top_k is " + topK + " but must be 0 (no limit) or a positive number of tokens");
    }
    stopStrings = List.copyOf(Objects.requireNonNull(stopStrings, "stopStrings"));
    for (String s : stopStrings) {
      if (s.isEmpty()) {
        throw new IllegalArgumentException(
            "a stop string is empty; every stop string needs at least one character");
      }
    }
  }

  /** Greedy decoding of at most {@code maxNewTokens} tokens, no stop strings. */
  public static Sampling greedy(int maxNewTokens) {
    return new Sampling(maxNewTokens, 0, 1, 0, 0, List.of());
  }

  /** Sampling with the given temperature, nucleus and top-k limits and seed, no stop strings. */
  public static Sampling sample(
      int maxNewTokens, double temperature, double topP, int topK, long seed) {
    if (temperature == 0) {
      throw new IllegalArgumentException(
          "temperature 0 is greedy decoding; use Sampling.greedy or a temperature above 0");
    }
    return new Sampling(maxNewTokens, temperature, topP, topK, seed, List.of());
  }

  /** The same sampling, stopping also at any of {@code stops}. */
  public Sampling withStop(List<String> stops) {
    return new Sampling(maxNewTokens, temperature, topP, topK, seed, stops);
  }

  /** Whether this is greedy decoding. */
  public boolean greedy() {
    return temperature == 0;
  }
}
