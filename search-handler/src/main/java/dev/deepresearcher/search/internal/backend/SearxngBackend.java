package dev.deepresearcher.search.internal.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepresearcher.core.config.SearchConfig;
import dev.deepresearcher.search.BackendException;
import dev.deepresearcher.search.BackendException.Kind;
import dev.deepresearcher.search.SearchHit;
import java.time.Duration;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * A self-hosted SearXNG: {@code GET {url}/search?q=…&format=json}; results in {@code results[]}
 * with {@code title}, {@code url}, {@code content}. The instance must allow the JSON format ({@code
 * search.formats} in its {@code settings.yml}); otherwise it answers 403.
 */
public final class SearxngBackend extends WebBackend {
  private final HttpUrl endpoint;

  public SearxngBackend(SearchConfig.Searxng config, Duration timeout) {
    super(timeout);
    this.endpoint = HttpUrl.get(SerperBackend.trim(config.url().toString()) + "/search");
  }

  @Override
  public String name() {
    return "searxng";
  }

  @Override
  public List<SearchHit> search(String query, int topK) {
    HttpUrl url =
        endpoint
            .newBuilder()
            .addQueryParameter("q", query)
            .addQueryParameter("format", "json")
            .build();
    JsonNode root;
    try {
      root =
          execute(
              new Request.Builder().url(url).header("Accept", "application/json").get().build());
    } catch (BackendException e) {
      if (e.kind() == Kind.CLIENT_ERROR && e.getMessage().contains("answered 403")) {
        throw new BackendException(
            Kind.CLIENT_ERROR,
            e.getMessage()
                + " (enable the json format: search.formats: [html, json] in SearXNG's settings.yml)",
            null,
            e);
      }
      throw e;
    }
    JsonNode results = root.get("results");
    if (results != null && !results.isArray()) {
      throw new BackendException(
          Kind.BAD_RESPONSE, "searxng answered with 'results' that is not a list");
    }
    return hits(results, topK, "title", "url", "content");
  }
}
