package dev.deepresearcher.search.internal.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepresearcher.core.config.SearchConfig;
import dev.deepresearcher.search.BackendException;
import dev.deepresearcher.search.BackendException.Kind;
import dev.deepresearcher.search.SearchHit;
import java.time.Duration;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * serper.dev: {@code POST {url}/search} with {@code X-API-KEY} and {@code {q, num, gl, hl}};
 * results in {@code organic[]} with {@code title}, {@code link}, {@code snippet}.
 */
public final class SerperBackend extends WebBackend {
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  private final String endpoint;
  private final String apiKey;
  private final String gl;
  private final String hl;

  public SerperBackend(SearchConfig.Serper config, String apiKey, Duration timeout) {
    super(timeout);
    this.endpoint = trim(config.url().toString()) + "/search";
    this.apiKey = apiKey;
    this.gl = config.gl();
    this.hl = config.hl();
  }

  @Override
  public String name() {
    return "serper";
  }

  @Override
  public List<SearchHit> search(String query, int topK) {
    ObjectNode body =
        JSON.createObjectNode().put("q", query).put("num", topK).put("gl", gl).put("hl", hl);
    Request request =
        new Request.Builder()
            .url(endpoint)
            .header("X-API-KEY", apiKey)
            .post(RequestBody.create(body.toString(), JSON_TYPE))
            .build();
    JsonNode root = execute(request);
    JsonNode organic = root.get("organic");
    if (organic != null && !organic.isArray()) {
      throw new BackendException(
          Kind.BAD_RESPONSE, "serper answered with 'organic' that is not a list");
    }
    return hits(organic, topK, "title", "link", "snippet");
  }

  static String trim(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
