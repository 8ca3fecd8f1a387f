package dev.deepresearcher.search.internal.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.http.RetryAfter;
import dev.deepresearcher.search.BackendException;
import dev.deepresearcher.search.BackendException.Kind;
import dev.deepresearcher.search.SearchBackend;
import dev.deepresearcher.search.SearchHit;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * What the web backends share: one OkHttp client with a connection pool, one request per call,
 * responses classified into {@link BackendException} kinds, JSON bodies read leniently per hit.
 */
abstract class WebBackend implements SearchBackend {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(2);
  private static final int MAX_BODY_CHARS = 200;

  private final OkHttpClient http;

  WebBackend(Duration timeout) {
    this.http =
        new OkHttpClient.Builder()
            .callTimeout(timeout)
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .retryOnConnectionFailure(false)
            .build();
  }

  /** Sends {@code request} and returns its JSON body, or throws a classified failure. */
  JsonNode execute(Request request) {
    try (Response response = http.newCall(request).execute()) {
      int code = response.code();
      ResponseBody body = response.body();
      String text = body == null ? "" : body.string();
      if (code == 429) {
        throw new BackendException(
            Kind.RATE_LIMITED,
            name() + " rate-limited the request (429)",
            RetryAfter.parse(response.header("Retry-After"), MAX_RETRY_AFTER, Clock.systemUTC()),
            null);
      }
      if (code >= 500 || code == 408) {
        throw new BackendException(Kind.SERVER_ERROR, name() + " answered " + code + snippet(text));
      }
      if (code < 200 || code >= 300) {
        throw new BackendException(
            Kind.CLIENT_ERROR, name() + " answered " + code + snippet(text) + hint(code));
      }
      try {
        JsonNode root = JSON.readTree(text);
        if (root == null || !root.isObject()) {
          throw new BackendException(
              Kind.BAD_RESPONSE, name() + " answered a non-object" + snippet(text));
        }
        return root;
      } catch (IOException e) {
        throw new BackendException(
            Kind.BAD_RESPONSE, name() + " answered with invalid JSON" + snippet(text), null, e);
      }
    } catch (InterruptedIOException e) {
      throw new BackendException(Kind.TIMEOUT, name() + " did not answer in time", null, e);
    } catch (IOException e) {
      throw new BackendException(
          Kind.CONNECTION, name() + " could not be reached: " + e.getMessage(), null, e);
    }
  }

  /** Hits from {@code array}, skipping entries without a URL; at most {@code topK}. */
  static List<SearchHit> hits(
      JsonNode array, int topK, String titleField, String urlField, String snippetField) {
    List<SearchHit> hits = new ArrayList<>();
    if (array == null || !array.isArray()) {
      return hits;
    }
    for (JsonNode item : array) {
      if (hits.size() >= topK) {
        break;
      }
      String url = text(item, urlField);
      if (url.isEmpty()) {
        continue;
      }
      hits.add(new SearchHit(text(item, titleField), url, text(item, snippetField)));
    }
    return hits;
  }

  private static String text(JsonNode item, String field) {
    JsonNode v = item.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }

  private static String snippet(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String b = body.strip().replaceAll("\\s+", " ");
    return ": " + (b.length() > MAX_BODY_CHARS ? b.substring(0, MAX_BODY_CHARS) + "…" : b);
  }

  private String hint(int code) {
    return code == 401 || code == 403
        ? " (check the API key in the environment variable search." + name() + ".api_key_env names)"
        : "";
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
