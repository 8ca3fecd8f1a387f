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
 * The Brave Search API: {@code GET {url}/res/v1/web/search?q=…&count=…} with {@code
 * X-Subscription-Token}; results in {@code web.results[]} with {@code title}, {@code url}, {@code
 * description}. Brave returns at most 20 results per request.
 */
public final class BraveBackend extends WebBackend {
  private static final int MAX_COUNT = 20;

  private final HttpUrl endpoint;
  private final String token;

  public BraveBackend(SearchConfig.Brave config, String token, Duration timeout) {
    super(timeout);
    this.endpoint = HttpUrl.get(SerperBackend.trim(config.url().toString()) + "/res/v1/web/search");
    this.token = token;
  }

  @Override
  public String name() {
    return "brave";
  }

  @Override
  public List<SearchHit> search(String query, int topK) {
    HttpUrl url =
        endpoint
            .newBuilder()
            .addQueryParameter("q", query)
            .addQueryParameter("count", Integer.toString(Math.min(topK, MAX_COUNT)))
            .build();
    Request request =
        new Request.Builder()
            .url(url)
            .header("X-Subscription-Token", token)
            .header("Accept", "application/json")
            .get()
            .build();
    JsonNode root = execute(request);
    JsonNode web = root.get("web");
    if (web == null || web.isNull()) {
      return List.of(); // Brave omits "web" when nothing matched
    }
    JsonNode results = web.get("results");
    if (!web.isObject() || (results != null && !results.isArray())) {
      throw new BackendException(
          Kind.BAD_RESPONSE, "brave answered with 'web.results' that is not a list");
    }
    return hits(results, topK, "title", "url", "description");
  }
}
