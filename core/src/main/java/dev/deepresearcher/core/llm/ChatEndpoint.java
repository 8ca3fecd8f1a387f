package dev.deepresearcher.core.llm;

import dev.deepresearcher.core.http.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to ask an OpenAI-compatible chat model.
 *
 * @param baseUrl the part before {@code /chat/completions}, e.g. {@code https://api.openai.com/v1}
 * @param model the model name sent in each request
 * @param apiKey sent as {@code Authorization: Bearer}; {@code null} sends none (local servers)
 * @param temperature sampling temperature
 * @param timeout deadline of one request, reading the whole reply included
 * @param retry retries on 429, 5xx, timeouts and connection errors
 */
public record ChatEndpoint(
    URI baseUrl,
    String model,
    String apiKey,
    double temperature,
    Duration timeout,
    RetryPolicy retry) {
  public ChatEndpoint {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(retry, "retry");
    String scheme = baseUrl.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("baseUrl must be http(s), got " + baseUrl);
    }
  }

  /** The chat-completions URL. */
  public String completionsUrl() {
    String base = baseUrl.toString();
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/chat/completions";
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "ChatEndpoint["
        + completionsUrl()
        + ", model="
        + model
        + ", key="
        + (apiKey == null ? "none" : "<redacted>")
        + "]";
  }
}
