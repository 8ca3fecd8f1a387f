package dev.deepresearcher.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The LLM judge behind the MBE metric ({@code evaluate.judge.*}): any OpenAI-compatible chat
 * endpoint.
 *
 * @param url base URL of the endpoint (the part before {@code /chat/completions}); {@code null}
 *     turns MBE off
 * @param model the model to ask
 * @param apiKeyEnv the environment variable holding the API key
 * @param temperature sampling temperature of the judge
 * @param concurrency requests in flight at once
 * @param maxAttempts attempts per verdict on 429, 5xx, timeouts and connection errors
 * @param initialBackoff wait before the second attempt; doubles each time, with jitter
 * @param maxBackoff longest wait between attempts
 * @param timeout deadline of one request
 * @param unparseableRetries extra requests when a reply holds no verdict; then it counts as
 *     incorrect
 */
public record JudgeConfig(
    @Nullable URI url,
    String model,
    SecretEnv apiKeyEnv,
    @Range(min = 0, max = 2) double temperature,
    @Range(min = 1, max = 1024) int concurrency,
    @Range(min = 1, max = 100) int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration timeout,
    @Range(min = 0, max = 10) int unparseableRetries) {
  public JudgeConfig {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(apiKeyEnv, "apiKeyEnv");
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "max_backoff ("
              + Durations.format(maxBackoff)
              + ") must be at least initial_backoff ("
              + Durations.format(initialBackoff)
              + ")");
    }
    if (model.isBlank()) {
      throw new IllegalArgumentException("model must name the judge model, e.g. gpt-4o-mini");
    }
  }

  /** True when a judge endpoint is configured. */
  public boolean enabled() {
    return url != null;
  }
}
