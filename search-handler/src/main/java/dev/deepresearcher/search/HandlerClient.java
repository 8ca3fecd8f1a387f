package dev.deepresearcher.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepresearcher.browse.BrowseRequest;
import dev.deepresearcher.browse.Extract;
import dev.deepresearcher.browse.PageResult;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The client rollouts use to reach search handlers: one or more replicas, calls spread round-robin,
 * failover to the next replica when one is down or saturated, connection pooling and timeouts.
 * Thread-safe; share one per process.
 *
 * <pre>{@code
 * try (HandlerClient client = new HandlerClient(List.of(URI.create("http://127.0.0.1:8080")),
 *     null, Duration.ofMinutes(5), Duration.ofSeconds(5), 1024)) {
 *   List<SearchResult> results = client.search(List.of("who wrote hamlet"), 10);
 * }
 * }</pre>
 */
public final class HandlerClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  private final List<URI> replicas;
  private final String authorization;
  private final OkHttpClient http;
  private final Duration retryDown;
  private final int maxQueriesPerCall;
  private final LongSupplier clock;
  private final AtomicInteger next = new AtomicInteger();
  private final ConcurrentHashMap<URI, Long> downUntil = new ConcurrentHashMap<>();

  /**
   * @param replicas handler base URLs, at least one
   * @param bearerToken sent as {@code Authorization: Bearer}; {@code null} for none
   * @param timeout deadline of one call to one replica
   * @param retryDown how long a replica that failed is tried last
   * @param maxQueriesPerCall larger batches are split into calls of this size
   */
  public HandlerClient(
      List<URI> replicas,
      String bearerToken,
      Duration timeout,
      Duration retryDown,
      int maxQueriesPerCall) {
    this(replicas, bearerToken, timeout, retryDown, maxQueriesPerCall, System::nanoTime);
  }

  HandlerClient(
      List<URI> replicas,
      String bearerToken,
      Duration timeout,
      Duration retryDown,
      int maxQueriesPerCall,
      LongSupplier nanoClock) {
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException("a HandlerClient needs at least one handler URL");
    }
    this.replicas = List.copyOf(replicas);
    this.authorization = bearerToken == null ? null : "Bearer " + bearerToken;
    this.retryDown = Objects.requireNonNull(retryDown, "retryDown");
    this.maxQueriesPerCall = maxQueriesPerCall;
    this.clock = nanoClock;
    this.http =
        new OkHttpClient.Builder()
            .callTimeout(timeout)
            .readTimeout(timeout)
            .connectTimeout(Duration.ofSeconds(5))
            .retryOnConnectionFailure(false)
            .build();
    http.dispatcher().setMaxRequestsPerHost(256);
  }

  /** The replicas, in configured order. */
  public List<URI> replicas() {
    return replicas;
  }

  /**
   * Searches a batch of queries; one result per query, in order.
   *
   * @throws SearchException when no replica answers, or a replica rejects the request itself
   */
  public List<SearchResult> search(List<String> queries, int topK) {
    List<SearchResult> results = new ArrayList<>(queries.size());
    for (int from = 0; from < queries.size(); from += maxQueriesPerCall) {
      List<String> chunk =
          queries.subList(from, Math.min(queries.size(), from + maxQueriesPerCall));
      ObjectNode body = JSON.createObjectNode();
      ArrayNode array = body.putArray("queries");
      chunk.forEach(array::add);
      body.put("top_k", topK);
      JsonNode response = post("/search", body);
      JsonNode list = response.get("results");
      if (list == null || !list.isArray() || list.size() != chunk.size()) {
        throw new SearchException(
            "the search handler answered "
                + (list == null
                    ? "without results"
                    : list.size() + " results for " + chunk.size() + " queries"));
      }
      for (JsonNode r : list) {
        List<SearchHit> hits = new ArrayList<>();
        for (JsonNode h : r.path("hits")) {
          hits.add(
              new SearchHit(
                  h.path("title").asText(""),
                  h.path("url").asText(""),
                  h.path("snippet").asText("")));
        }
        JsonNode error = r.get("error");
        results.add(
            new SearchResult(
                r.path("query").asText(""),
                hits,
                error == null || error.isNull() ? null : error.asText()));
      }
    }
    return results;
  }

  /**
   * Reads pages for one trajectory through the handler's {@code /browse}; one result per URL, in
   * order.
   *
   * @throws SearchException when no replica answers, or a replica rejects the request itself
   */
  public List<PageResult> browse(BrowseRequest request) {
    ObjectNode body = JSON.createObjectNode();
    body.put("question", request.question());
    body.put("sub_question", request.subQuestion());
    request.urls().forEach(body.putArray("urls")::add);
    request.allowedUrls().forEach(body.putArray("allowed_urls")::add);
    request.seen().forEach(body.putArray("seen")::add);
    JsonNode list = post("/browse", body).get("results");
    if (list == null || !list.isArray() || list.size() != request.urls().size()) {
      throw new SearchException(
          "the search handler answered a browse request with the wrong number of results");
    }
    List<PageResult> results = new ArrayList<>();
    for (JsonNode r : list) {
      List<Extract> extracts = new ArrayList<>();
      for (JsonNode e : r.path("extracts")) {
        extracts.add(
            new Extract(
                e.path("page_number").asInt(1),
                e.path("information").asText(""),
                e.path("id").asText("")));
      }
      JsonNode error = r.get("error");
      results.add(
          new PageResult(
              r.path("url").asText(""),
              extracts,
              error == null || error.isNull() ? null : error.asText()));
    }
    return results;
  }

  /**
   * POSTs {@code body} to {@code path} on the first replica that answers, and returns its JSON.
   * Replicas are tried round-robin; one that cannot be reached, fails (5xx) or is saturated (429)
   * is skipped for {@code retryDown} and the next is tried.
   */
  public JsonNode post(String path, JsonNode body) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    List<URI> order = order();
    List<String> failures = new ArrayList<>();
    for (URI replica : order) {
      Request.Builder request =
          new Request.Builder()
              .url(replica.resolve(path).toString())
              .post(RequestBody.create(bytes, JSON_TYPE));
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      try (Response response = http.newCall(request.build()).execute()) {
        ResponseBody rb = response.body();
        String text = rb == null ? "" : rb.string();
        int code = response.code();
        if (code == 200) {
          downUntil.remove(replica);
          return JSON.readTree(text);
        }
        String message = errorMessage(text);
        if (code == 429 || code >= 500) {
          markDown(replica);
          failures.add(replica + " (" + code + ": " + message + ")");
          continue;
        }
        // 4xx: the request itself is wrong; another replica would say the same.
        throw new SearchException(
            "the search handler at " + replica + " refused the request (" + code + "): " + message);
      } catch (IOException e) {
        markDown(replica);
        failures.add(replica + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
      }
    }
    throw new SearchException("no search handler answered: " + String.join(", ", failures));
  }

  /** Replicas in round-robin order, those marked down last. */
  private List<URI> order() {
    int n = replicas.size();
    int start = Math.floorMod(next.getAndIncrement(), n);
    long now = clock.getAsLong();
    List<URI> up = new ArrayList<>(n);
    List<URI> down = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      URI r = replicas.get((start + i) % n);
      Long until = downUntil.get(r);
      (until != null && until > now ? down : up).add(r);
    }
    up.addAll(down);
    return up;
  }

  private void markDown(URI replica) {
    downUntil.put(replica, clock.getAsLong() + retryDown.toNanos());
  }

  private static String errorMessage(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.has("error")) {
        return node.get("error").asText();
      }
    } catch (IOException e) {
      // not JSON
    }
    String b = body == null ? "" : body.strip();
    return b.length() > 200 ? b.substring(0, 200) + "…" : b;
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
