package dev.deepresearcher.search.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.deepresearcher.browse.BrowseAgent;
import dev.deepresearcher.browse.BrowseRequest;
import dev.deepresearcher.browse.Extract;
import dev.deepresearcher.browse.PageResult;
import dev.deepresearcher.search.SearchHit;
import dev.deepresearcher.search.SearchResult;
import dev.deepresearcher.search.internal.local.CorpusDocument;
import dev.deepresearcher.search.internal.local.LocalBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler's HTTP front: the JDK's HTTP server with one virtual thread per request. Routes,
 * authentication, body and batch limits, saturation (429 with Retry-After, never a queue), JSON in
 * and out, metrics. Stateless: every request carries all it needs.
 */
public final class HandlerServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HandlerServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // Small JSON answers on keep-alive connections: without TCP_NODELAY, Nagle's algorithm and
    // delayed ACKs add ~40 ms to every response.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** Limits and identity of one server. */
  public record Settings(
      InetSocketAddress bind,
      String bearerToken,
      long maxBodyBytes,
      int maxQueries,
      int defaultTopK,
      int maxTopK,
      int maxConcurrentRequests) {}

  private final Settings settings;
  private final SearchService search;
  private final LocalBackend docs;
  private final HandlerMetrics metrics;
  private final Semaphore slots;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final byte[] tokenBytes;
  private volatile BrowseAgent browser;

  public HandlerServer(
      Settings settings, SearchService search, LocalBackend docs, HandlerMetrics metrics) {
    this.settings = settings;
    this.search = search;
    this.docs = docs;
    this.metrics = metrics;
    this.slots = new Semaphore(settings.maxConcurrentRequests());
    this.tokenBytes =
        settings.bearerToken() == null
            ? null
            : ("Bearer " + settings.bearerToken()).getBytes(StandardCharsets.UTF_8);
    try {
      this.server = HttpServer.create(settings.bind(), 1024);
    } catch (IOException e) {
      throw new UncheckedIOException(
          new IOException("cannot listen on " + settings.bind() + ": " + e.getMessage(), e));
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  /**
   * Starts answering, reading pages with {@code browser} (or answering {@code /browse} with 501
   * when it is null). The address is bound already, so {@link #url()} works before this.
   */
  public void start(BrowseAgent browser) {
    this.browser = browser;
    server.start();
  }

  /** The address the server listens on, e.g. {@code http://127.0.0.1:8080}. */
  public URI url() {
    InetSocketAddress address = server.getAddress();
    String host =
        address.getAddress().isAnyLocalAddress()
            ? "127.0.0.1"
            : address.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + address.getPort());
  }

  /** A response, built before anything is sent so that it is counted before the client sees it. */
  private record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    Reply with(String header, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(header, value);
      return new Reply(status, contentType, body, h);
    }
  }

  private void handle(HttpExchange exchange) {
    long start = System.nanoTime();
    String path = exchange.getRequestURI().getRawPath();
    metrics.enter();
    try (exchange) {
      Reply reply;
      try {
        reply = route(exchange, path);
      } catch (RuntimeException | IOException e) {
        LOG.error("request to {} failed", path, e);
        reply = json(500, error("internal error: " + e));
      }
      metrics.request(endpoint(path), reply.status(), (System.nanoTime() - start) / 1e9);
      metrics.leave();
      send(exchange, reply);
    } catch (IOException e) {
      // the client went away before the answer was written
    }
  }

  private static String endpoint(String path) {
    if (path.startsWith("/doc/")) {
      return "/doc";
    }
    return switch (path) {
      case "/search", "/browse", "/healthz", "/metrics" -> path;
      default -> "other";
    };
  }

  private Reply route(HttpExchange exchange, String path) throws IOException {
    String method = exchange.getRequestMethod();
    if (path.equals("/healthz")) {
      return method.equals("GET") ? json(200, health()) : methodNotAllowed("GET");
    }
    if (path.startsWith("/doc/")) {
      return method.equals("GET") ? doc(path.substring(5)) : methodNotAllowed("GET");
    }
    if (!path.equals("/search") && !path.equals("/browse") && !path.equals("/metrics")) {
      return json(
          404,
          error(
              "no such endpoint "
                  + path
                  + "; try POST /search, POST /browse, GET /healthz, GET /metrics"));
    }
    if (!authorized(exchange)) {
      return json(401, error("missing or wrong bearer token")).with("WWW-Authenticate", "Bearer");
    }
    if (path.equals("/metrics")) {
      if (!method.equals("GET")) {
        return methodNotAllowed("GET");
      }
      return new Reply(
          200,
          "text/plain; version=0.0.4; charset=utf-8",
          metrics.render().getBytes(StandardCharsets.UTF_8),
          Map.of());
    }
    if (!method.equals("POST")) {
      return methodNotAllowed("POST");
    }
    if (!slots.tryAcquire()) {
      metrics.rejected();
      return json(429, error("the handler is saturated; retry after 1 s or use another replica"))
          .with("Retry-After", "1");
    }
    try {
      Optional<byte[]> body = readBody(exchange);
      if (body.isEmpty()) {
        return json(413, error("request body over " + settings.maxBodyBytes() + " bytes"))
            .with("Connection", "close");
      }
      JsonNode json;
      try {
        json = JSON.readTree(body.get());
      } catch (JsonProcessingException e) {
        return json(400, error("malformed JSON: " + oneLine(e.getOriginalMessage())));
      }
      if (json == null || !json.isObject()) {
        return json(400, error("the body must be a JSON object"));
      }
      return path.equals("/search") ? search(json) : browse(json);
    } finally {
      slots.release();
    }
  }

  private Reply search(JsonNode json) throws IOException {
    JsonNode queries = json.get("queries");
    if (queries == null || !queries.isArray()) {
      return json(
          400,
          error("'queries' must be a list of strings, e.g. {\"queries\": [\"…\"], \"top_k\": 10}"));
    }
    if (queries.size() > settings.maxQueries()) {
      return json(
          413, error(queries.size() + " queries in one request; at most " + settings.maxQueries()));
    }
    int topK = settings.defaultTopK();
    JsonNode k = json.get("top_k");
    if (k != null && !k.isNull()) {
      if (!k.isIntegralNumber() || k.asInt() < 1 || k.asInt() > settings.maxTopK()) {
        return json(
            400,
            error("'top_k' must be an integer from 1 to " + settings.maxTopK() + ", got " + k));
      }
      topK = k.asInt();
    }
    List<Object> list = new ArrayList<>(queries.size());
    for (JsonNode q : queries) {
      list.add(q.isTextual() ? q.asText() : q.toString());
    }
    // Non-string entries reach the service as their JSON text, wrapped so they fail on their own.
    for (int i = 0; i < list.size(); i++) {
      if (!queries.get(i).isTextual()) {
        list.set(i, new NotAString(queries.get(i).toString()));
      }
    }
    List<SearchResult> results = search.search(list, topK);
    ObjectNode root = JSON.createObjectNode();
    ArrayNode array = root.putArray("results");
    for (SearchResult r : results) {
      ObjectNode o = array.addObject();
      o.put("query", r.query());
      ArrayNode hits = o.putArray("hits");
      for (SearchHit h : r.hits()) {
        hits.addObject().put("title", h.title()).put("url", h.url()).put("snippet", h.snippet());
      }
      if (r.error() == null) {
        o.putNull("error");
      } else {
        o.put("error", r.error());
      }
    }
    return new Reply(
        200, "application/json; charset=utf-8", JSON.writeValueAsBytes(root), Map.of());
  }

  /** A query entry that was not a JSON string; prints as its JSON. */
  private record NotAString(String json) {
    @Override
    public String toString() {
      return json;
    }
  }

  private Reply browse(JsonNode json) throws IOException {
    if (browser == null) {
      return json(501, error("browsing is not available on this handler"));
    }
    JsonNode question = json.get("question");
    JsonNode urls = json.get("urls");
    if (question == null || !question.isTextual() || urls == null || !urls.isArray()) {
      return json(
          400,
          error(
              "a browse request needs 'question' (a string) and 'urls' (a list), e.g. {\"question\":"
                  + " \"…\", \"sub_question\": \"…\", \"urls\": [\"…\"], \"allowed_urls\": [\"…\"],"
                  + " \"seen\": []}"));
    }
    if (urls.size() > settings.maxQueries()) {
      return json(
          413, error(urls.size() + " URLs in one request; at most " + settings.maxQueries()));
    }
    JsonNode sub = json.get("sub_question");
    BrowseRequest request =
        new BrowseRequest(
            question.asText(),
            sub == null || sub.isNull() ? "" : sub.asText(),
            strings(urls),
            strings(json.get("allowed_urls")),
            strings(json.get("seen")));
    List<PageResult> results = browser.browse(request);
    ObjectNode root = JSON.createObjectNode();
    ArrayNode array = root.putArray("results");
    for (PageResult r : results) {
      ObjectNode o = array.addObject();
      o.put("url", r.url());
      ArrayNode extracts = o.putArray("extracts");
      for (Extract e : r.extracts()) {
        extracts
            .addObject()
            .put("page_number", e.pageNumber())
            .put("information", e.information())
            .put("id", e.id());
      }
      if (r.error() == null) {
        o.putNull("error");
      } else {
        o.put("error", r.error());
      }
    }
    return new Reply(
        200, "application/json; charset=utf-8", JSON.writeValueAsBytes(root), Map.of());
  }

  /** The strings of a JSON list; anything else becomes its JSON text, an absent list empty. */
  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node != null && node.isArray()) {
      node.forEach(n -> out.add(n.isTextual() ? n.asText() : n.toString()));
    }
    return out;
  }

  private Reply doc(String rawId) {
    if (docs == null) {
      return json(404, error("this handler serves documents only with the local backend"));
    }
    String id = URLDecoder.decode(rawId, StandardCharsets.UTF_8);
    Optional<CorpusDocument> doc = docs.document(id);
    if (doc.isEmpty()) {
      return json(404, error("no document with id '" + id + "'"));
    }
    return new Reply(
        200,
        "text/html; charset=utf-8",
        DocPages.html(doc.get()).getBytes(StandardCharsets.UTF_8),
        Map.of());
  }

  private ObjectNode health() {
    return JSON.createObjectNode().put("status", "ok").put("backend", search.backendName());
  }

  private boolean authorized(HttpExchange exchange) {
    if (tokenBytes == null) {
      return true;
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    return header != null
        && MessageDigest.isEqual(tokenBytes, header.getBytes(StandardCharsets.UTF_8));
  }

  /** The body, or empty when it is over the limit. */
  private Optional<byte[]> readBody(HttpExchange exchange) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > settings.maxBodyBytes()) {
          return Optional.empty();
        }
      } catch (NumberFormatException e) {
        // let the read below decide
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes =
          in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxBodyBytes() + 1));
      return bytes.length > settings.maxBodyBytes() ? Optional.empty() : Optional.of(bytes);
    }
  }

  private static Reply methodNotAllowed(String allowed) {
    return json(405, error("use " + allowed)).with("Allow", allowed);
  }

  private static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  private static String oneLine(String s) {
    String line = s == null ? "" : s.replace('\n', ' ');
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }

  private static Reply json(int status, JsonNode body) {
    try {
      return new Reply(
          status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body), Map.of());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    byte[] body = reply.body();
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
