package dev.deepresearcher.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Web search ({@code search.*}): which backend, how results are cached, and how hard the backend
 * may be pushed.
 *
 * @param backend the backend to query
 * @param topK results per query when a request does not say
 * @param maxTopK the most results a request may ask for
 * @param cacheTtl how long a successful, non-empty result stays in the cache
 * @param maxInFlight backend requests in flight at once, per handler
 * @param requestsPerSecond backend requests started per second, per handler
 * @param maxAttempts attempts per query on 429, 5xx, timeouts and connection errors
 * @param initialBackoff wait after the first failure; doubles each attempt, with jitter
 * @param maxBackoff longest wait between attempts
 * @param timeout deadline of one backend request
 * @param deadline deadline of one query, retries and waits for a slot included
 * @param serper Serper's settings
 * @param brave Brave Search's settings
 * @param searxng SearXNG's settings
 * @param local the local Lucene index's settings
 */
public record SearchConfig(
    SearchBackendName backend,
    @Range(min = 1, max = 100) int topK,
    @Range(min = 1, max = 100) int maxTopK,
    Duration cacheTtl,
    @Range(min = 1, max = 4096) int maxInFlight,
    @Range(min = 0.01, max = 100_000) double requestsPerSecond,
    @Range(min = 1, max = 100) int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration timeout,
    Duration deadline,
    Serper serper,
    Brave brave,
    Searxng searxng,
    Local local) {
  public SearchConfig {
    Objects.requireNonNull(backend, "backend");
    if (topK > maxTopK) {
      throw new IllegalArgumentException(
          "top_k (" + topK + ") must not exceed max_top_k (" + maxTopK + ")");
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "max_backoff ("
              + Durations.format(maxBackoff)
              + ") must be at least initial_backoff ("
              + Durations.format(initialBackoff)
              + ")");
    }
    if (deadline.compareTo(timeout) < 0) {
      throw new IllegalArgumentException(
          "deadline ("
              + Durations.format(deadline)
              + ") must be at least timeout ("
              + Durations.format(timeout)
              + "): one request must fit in a query's deadline");
    }
  }

  /**
   * serper.dev ({@code search.serper.*}).
   *
   * @param url base URL; requests go to {@code {url}/search}
   * @param apiKeyEnv environment variable holding the API key
   * @param gl country of the results, e.g. {@code us}
   * @param hl language of the results, e.g. {@code en}
   */
  public record Serper(URI url, SecretEnv apiKeyEnv, String gl, String hl) {}

  /**
   * The Brave Search API ({@code search.brave.*}).
   *
   * @param url base URL; requests go to {@code {url}/res/v1/web/search}
   * @param apiKeyEnv environment variable holding the subscription token
   */
  public record Brave(URI url, SecretEnv apiKeyEnv) {}

  /**
   * A SearXNG instance ({@code search.searxng.*}), with the JSON format enabled in its settings.
   *
   * @param url base URL; requests go to {@code {url}/search?format=json}
   */
  public record Searxng(URI url) {}

  /**
   * The local Lucene backend ({@code search.local.*}).
   *
   * @param index the index folder ({@code scripts/build-index} writes it)
   * @param corpus JSON lines {@code {id, title, text, url?}} to build the index from when the
   *     folder has none; {@code null} to require a built index
   * @param snippetChars about how many characters of a page a result's snippet shows
   */
  public record Local(
      Path index, @Nullable Path corpus, @Range(min = 20, max = 100_000) int snippetChars) {}
}
