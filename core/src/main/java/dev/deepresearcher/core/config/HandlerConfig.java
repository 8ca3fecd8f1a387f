package dev.deepresearcher.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The search handler's HTTP service and how clients reach it ({@code handler.*}).
 *
 * @param urls handler replicas that clients spread their calls over; empty starts one in-process on
 *     a free loopback port
 * @param host the address the service binds
 * @param port the port; 0 picks a free one
 * @param publicUrl how others reach this replica, for links to {@code /doc/{id}}; {@code null} uses
 *     the bound address
 * @param authTokenEnv environment variable holding a bearer token that every request must carry;
 *     {@code null} for none
 * @param maxBodyBytes the largest request body accepted (413 beyond)
 * @param maxQueries the most queries one {@code /search} request may carry (413 beyond)
 * @param maxConcurrentRequests requests handled at once; beyond, 429 with Retry-After
 * @param clientTimeout how long a client waits for one call, a whole batch included
 * @param clientRetryDown how long a client skips a replica that failed to answer
 */
public record HandlerConfig(
    List<URI> urls,
    String host,
    @Range(min = 0, max = 65535) int port,
    @Nullable URI publicUrl,
    @Nullable SecretEnv authTokenEnv,
    @Range(min = 1024) long maxBodyBytes,
    @Range(min = 1, max = 100_000) int maxQueries,
    @Range(min = 1, max = 1_000_000) int maxConcurrentRequests,
    Duration clientTimeout,
    Duration clientRetryDown) {
  public HandlerConfig {
    urls = List.copyOf(urls);
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must be an address to bind, e.g. 127.0.0.1");
    }
  }
}
