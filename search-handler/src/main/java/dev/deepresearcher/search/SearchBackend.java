package dev.deepresearcher.search;

import java.util.List;

/**
 * A search engine the handler can query: a web API or a local index. Implementations make one
 * request per call and report failures as {@link BackendException}s; the handler adds caching,
 * limits, retries and coalescing around them. Implementations must be thread-safe.
 */
public interface SearchBackend extends AutoCloseable {
  /** The backend's name in configuration and metrics, e.g. {@code serper}. */
  String name();

  /**
   * Up to {@code topK} results for {@code query}, best first.
   *
   * @throws BackendException for any failure, classified
   */
  List<SearchHit> search(String query, int topK);

  /**
   * Whether the backend is a service whose plan limits the request rate: the handler then starts at
   * most {@code search.requests_per_second} requests a second. A local index has no such limit and
   * answers as fast as it can (throttling it only delays a run and, past {@code search.deadline},
   * turns queued queries into errors).
   */
  default boolean rateLimited() {
    return true;
  }

  /** Releases connections, files and threads. */
  @Override
  default void close() {}
}
