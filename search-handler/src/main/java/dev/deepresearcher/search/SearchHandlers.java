package dev.deepresearcher.search;

import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.core.config.HandlerConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Connects a job to its search handlers: the configured replicas ({@code handler.urls}), or, when
 * there are none, a handler started in-process on a free loopback port.
 *
 * <pre>{@code
 * try (SearchHandlers.Connection handlers = SearchHandlers.connect(config, System.getenv())) {
 *   handlers.client().search(List.of("capital of france"), 10);
 * }
 * }</pre>
 */
public final class SearchHandlers {
  private SearchHandlers() {}

  /** A client, and the embedded handler it talks to if one was started. */
  public record Connection(HandlerClient client, SearchHandler embedded) implements AutoCloseable {
    @Override
    public void close() {
      client.close();
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  /** Connects as configured. */
  public static Connection connect(DeepResearcherConfig config, Map<String, String> env) {
    HandlerConfig h = config.handler();
    String token = h.authTokenEnv() == null ? null : h.authTokenEnv().resolve(env);
    SearchHandler embedded = null;
    List<URI> urls = h.urls();
    if (urls.isEmpty()) {
      embedded = SearchHandler.startEmbedded(config, env);
      urls = List.of(embedded.url());
    }
    try {
      return new Connection(
          new HandlerClient(urls, token, h.clientTimeout(), h.clientRetryDown(), h.maxQueries()),
          embedded);
    } catch (RuntimeException e) {
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }
}
