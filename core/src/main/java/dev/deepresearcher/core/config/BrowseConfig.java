package dev.deepresearcher.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The browse agent ({@code browse.*}): how pages are fetched, split and read.
 *
 * @param userAgent the User-Agent header of every fetch
 * @param connectTimeout deadline of a connection
 * @param readTimeout longest silence while reading a response
 * @param deadline deadline of one URL: waiting for a slot, every redirect and the whole body
 * @param maxRedirects redirects followed per URL
 * @param maxBytes body size cap; HTML and text are cut there, other types over it are refused
 * @param maxHtmlDepth elements nested deeper than this are left out of the text
 * @param maxConcurrentFetches fetches in flight at once, per agent
 * @param maxPerHost fetches in flight at once to one host
 * @param pageChars the most characters of one page handed to the reader
 * @param maxPages the most pages read of one URL
 * @param cacheTtl how long a fetched page stays in the cache
 * @param allowHosts hosts, host:port pairs or CIDR ranges exempt from the private-address block
 *     (e.g. {@code 127.0.0.1/32} for tests); empty keeps browsing on the public web
 * @param reader the model that reads pages
 */
public record BrowseConfig(
    String userAgent,
    Duration connectTimeout,
    Duration readTimeout,
    Duration deadline,
    @Range(min = 0, max = 20) int maxRedirects,
    @Range(min = 1024) long maxBytes,
    @Range(min = 16, max = 10_000) int maxHtmlDepth,
    @Range(min = 1, max = 10_000) int maxConcurrentFetches,
    @Range(min = 1, max = 1000) int maxPerHost,
    @Range(min = 1000, max = 10_000_000) int pageChars,
    @Range(min = 1, max = 1000) int maxPages,
    Duration cacheTtl,
    List<String> allowHosts,
    Reader reader) {
  public BrowseConfig {
    Objects.requireNonNull(userAgent, "userAgent");
    allowHosts = List.copyOf(allowHosts);
    if (userAgent.isBlank()) {
      throw new IllegalArgumentException(
          "user_agent must name this agent, e.g. DeepResearcher-JVM/0.1");
    }
  }

  /**
   * The reader ({@code browse.reader.*}): an OpenAI-compatible chat model, or the offline reader.
   *
   * @param url base URL of the endpoint; {@code null} uses the offline reader
   * @param model the model to ask
   * @param apiKeyEnv environment variable holding the key
   * @param temperature sampling temperature (the paper's reader: 0.6)
   * @param timeout deadline of one request
   * @param maxAttempts attempts per page on 429, 5xx and timeouts
   * @param initialBackoff wait after the first failure, doubling
   * @param maxBackoff longest wait
   * @param unparseableRetries extra requests when a reply has none of the expected tags
   * @param offlineChars characters of the most relevant passages the offline reader keeps per page
   */
  public record Reader(
      @Nullable URI url,
      String model,
      SecretEnv apiKeyEnv,
      @Range(min = 0, max = 2) double temperature,
      Duration timeout,
      @Range(min = 1, max = 100) int maxAttempts,
      Duration initialBackoff,
      Duration maxBackoff,
      @Range(min = 0, max = 10) int unparseableRetries,
      @Range(min = 100, max = 1_000_000) int offlineChars) {
    public Reader {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException(
            "max_backoff ("
                + Durations.format(maxBackoff)
                + ") must be at least initial_backoff ("
                + Durations.format(initialBackoff)
                + ")");
      }
    }
  }
}
