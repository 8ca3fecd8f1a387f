package dev.deepresearcher.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.config.ConfigException;
import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler over real HTTP, with a counting stand-in backend. */
class SearchHandlerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  /** Answers every query with one hit naming it; counts calls; optionally slow or failing. */
  static final class CountingBackend implements SearchBackend {
    final AtomicInteger calls = new AtomicInteger();
    volatile long delayMillis;
    volatile String failFor;
    volatile CountDownLatch gate;

    @Override
    public String name() {
      return "counting";
    }

    @Override
    public List<SearchHit> search(String query, int topK) {
      calls.incrementAndGet();
      try {
        if (gate != null) {
          gate.await(10, TimeUnit.SECONDS);
        }
        if (delayMillis > 0) {
          Thread.sleep(delayMillis);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (query.equals(failFor)) {
        throw new BackendException(
            BackendException.Kind.CLIENT_ERROR, "counting refused '" + query + "'");
      }
      if (query.startsWith("nothing")) {
        return List.of();
      }
      List<SearchHit> hits = new ArrayList<>();
      for (int i = 0; i < topK && i < 3; i++) {
        hits.add(new SearchHit(query + " " + i, "https://example.org/" + i, "about " + query));
      }
      return hits;
    }
  }

  private DeepResearcherConfig config(String... overrides) {
    List<String> all =
        new ArrayList<>(List.of("cache.path=" + dir.resolve("cache.db"), "search.max_attempts=1"));
    all.addAll(List.of(overrides));
    return ConfigLoader.load(null, all);
  }

  private static HttpResponse<String> post(URI base, String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(URI base, String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aBatchGetsOneResultPerQueryInOrderWithErrorsOfTheirOwn() throws Exception {
    CountingBackend backend = new CountingBackend();
    backend.failFor = "refused";
    try (SearchHandler h = SearchHandler.startEmbedded(config(), Map.of(), backend)) {
      HttpResponse<String> r =
          post(
              h.url(),
              "/search",
              "{\"queries\": [\"paris\", \"  \", 42, \"refused\", \"rome\"], \"top_k\": 2}");
      assertEquals(200, r.statusCode(), r.body());
      JsonNode results = JSON.readTree(r.body()).get("results");
      assertEquals(5, results.size());
      assertEquals("paris", results.get(0).get("query").asText());
      assertEquals(2, results.get(0).get("hits").size());
      assertEquals("paris 0", results.get(0).get("hits").get(0).get("title").asText());
      assertTrue(results.get(0).get("error").isNull());
      assertEquals("empty query: write what to search for", results.get(1).get("error").asText());
      assertEquals("a query must be a string", results.get(2).get("error").asText());
      assertEquals(
          "search failed: counting refused 'refused'", results.get(3).get("error").asText());
      assertEquals("rome", results.get(4).get("query").asText());
      assertEquals(0, results.get(3).get("hits").size());
    }
  }

  @Test
  void badRequestsGetClearStatusesAndMessages() throws Exception {
    try (SearchHandler h =
        SearchHandler.startEmbedded(
            config("handler.max_queries=3", "handler.max_body_bytes=2048"),
            Map.of(),
            new CountingBackend())) {
      HttpResponse<String> r = post(h.url(), "/search", "{\"queries\": [\"a\"");
      assertEquals(400, r.statusCode());
      assertTrue(
          JSON.readTree(r.body()).get("error").asText().startsWith("malformed JSON: "), r.body());

      r = post(h.url(), "/search", "{\"query\": \"a\"}");
      assertEquals(400, r.statusCode());
      assertTrue(r.body().contains("'queries' must be a list of strings"), r.body());

      r = post(h.url(), "/search", "[1]");
      assertEquals(400, r.statusCode());

      r = post(h.url(), "/search", "{\"queries\": [\"a\"], \"top_k\": 0}");
      assertEquals(400, r.statusCode());
      assertTrue(r.body().contains("'top_k' must be an integer from 1 to 50, got 0"), r.body());

      r = post(h.url(), "/search", "{\"queries\": [\"a\", \"b\", \"c\", \"d\"]}");
      assertEquals(413, r.statusCode());
      assertTrue(r.body().contains("4 queries in one request; at most 3"), r.body());

      r = post(h.url(), "/search", "{\"queries\": [\"" + "x".repeat(5000) + "\"]}");
      assertEquals(413, r.statusCode());
      assertTrue(r.body().contains("request body over 2048 bytes"), r.body());

      r = get(h.url(), "/search");
      assertEquals(405, r.statusCode());
      assertEquals("POST", r.headers().firstValue("Allow").orElse(""));

      r = post(h.url(), "/browse", "{\"urls\": \"http://x\"}");
      assertEquals(400, r.statusCode());
      assertTrue(r.body().contains("a browse request needs 'question'"), r.body());

      r = get(h.url(), "/nope");
      assertEquals(404, r.statusCode());

      assertEquals(200, get(h.url(), "/healthz").statusCode(), "the handler is still up");
    }
  }

  @Test
  void repeatedQueriesComeFromTheCacheAcrossRestarts() throws Exception {
    CountingBackend backend = new CountingBackend();
    try (SearchHandler h = SearchHandler.startEmbedded(config(), Map.of(), backend)) {
      post(h.url(), "/search", "{\"queries\": [\"Capital of France\"]}");
      post(h.url(), "/search", "{\"queries\": [\"  capital   of FRANCE \"]}");
      assertEquals(1, backend.calls.get(), "a normalised query shares the cache entry");
      post(h.url(), "/search", "{\"queries\": [\"capital of france\"], \"top_k\": 2}");
      assertEquals(2, backend.calls.get(), "another top_k is another entry");
      post(h.url(), "/search", "{\"queries\": [\"nothing here\"]}");
      post(h.url(), "/search", "{\"queries\": [\"nothing here\"]}");
      assertEquals(4, backend.calls.get(), "empty results are not cached");
      assertEquals(1, h.metrics().cacheHits());
    }
    CountingBackend fresh = new CountingBackend();
    try (SearchHandler h = SearchHandler.startEmbedded(config(), Map.of(), fresh)) {
      JsonNode r =
          JSON.readTree(post(h.url(), "/search", "{\"queries\": [\"capital of france\"]}").body());
      assertEquals(0, fresh.calls.get(), "the cache outlives the handler");
      assertEquals(
          "Capital of France 0", r.get("results").get(0).get("hits").get(0).get("title").asText());
    }
  }

  @Test
  void failedQueriesAreNotCached() throws Exception {
    CountingBackend backend = new CountingBackend();
    backend.failFor = "flaky";
    try (SearchHandler h = SearchHandler.startEmbedded(config(), Map.of(), backend)) {
      post(h.url(), "/search", "{\"queries\": [\"flaky\"]}");
      backend.failFor = null;
      JsonNode r = JSON.readTree(post(h.url(), "/search", "{\"queries\": [\"flaky\"]}").body());
      assertTrue(r.get("results").get(0).get("error").isNull());
      assertEquals(2, backend.calls.get());
    }
  }

  @Test
  void identicalQueriesInFlightShareOneBackendCall() throws Exception {
    CountingBackend backend = new CountingBackend();
    backend.gate = new CountDownLatch(1);
    try (SearchHandler h = SearchHandler.startEmbedded(config(), Map.of(), backend);
        ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HttpResponse<String>>> requests = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        requests.add(
            exec.submit(
                () -> post(h.url(), "/search", "{\"queries\": [\"same\", \"same\", \"SAME\"]}")));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (h.metrics().coalescedQueries() < 29 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      backend.gate.countDown();
      for (Future<HttpResponse<String>> f : requests) {
        JsonNode results = JSON.readTree(f.get().body()).get("results");
        for (JsonNode r : results) {
          assertEquals(3, r.get("hits").size());
        }
      }
      assertEquals(1, backend.calls.get(), "30 identical queries, one backend call");
      assertEquals(29, h.metrics().coalescedQueries());
    }
  }

  @Test
  void aBearerTokenIsRequiredWhenConfiguredButNeverEchoed() throws Exception {
    DeepResearcherConfig cfg = config("handler.auth_token_env=HANDLER_TOKEN");
    try (SearchHandler h =
        SearchHandler.startEmbedded(
            cfg, Map.of("HANDLER_TOKEN", "s3cret-token"), new CountingBackend())) {
      String body = "{\"queries\": [\"a\"]}";
      HttpResponse<String> r = post(h.url(), "/search", body);
      assertEquals(401, r.statusCode());
      assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElse(""));
      assertEquals(
          401, post(h.url(), "/search", body, "Authorization", "Bearer wrong").statusCode());
      assertEquals(
          200, post(h.url(), "/search", body, "Authorization", "Bearer s3cret-token").statusCode());
      assertEquals(401, get(h.url(), "/metrics").statusCode());
      assertEquals(200, get(h.url(), "/healthz").statusCode(), "health checks need no token");
      assertFalse(r.body().contains("s3cret"));
    }
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> SearchHandler.startEmbedded(cfg, Map.of(), new CountingBackend()));
    assertTrue(
        e.getMessage().contains("environment variable HANDLER_TOKEN is not set"), e.getMessage());
  }

  @Test
  void aSaturatedHandlerAnswers429WithRetryAfterInsteadOfQueueing() throws Exception {
    CountingBackend backend = new CountingBackend();
    backend.gate = new CountDownLatch(1);
    try (SearchHandler h =
            SearchHandler.startEmbedded(
                config("handler.max_concurrent_requests=1"), Map.of(), backend);
        ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<HttpResponse<String>> first =
          exec.submit(() -> post(h.url(), "/search", "{\"queries\": [\"slow\"]}"));
      while (backend.calls.get() == 0) {
        Thread.sleep(5);
      }
      HttpResponse<String> second = post(h.url(), "/search", "{\"queries\": [\"other\"]}");
      assertEquals(429, second.statusCode());
      assertEquals("1", second.headers().firstValue("Retry-After").orElse(""));
      backend.gate.countDown();
      assertEquals(200, first.get().statusCode());
      assertEquals(200, post(h.url(), "/search", "{\"queries\": [\"other\"]}").statusCode());
      assertTrue(get(h.url(), "/metrics").body().contains("dr_handler_rejected_total 1"));
    }
  }

  @Test
  void metricsAreInPrometheusTextFormat() throws Exception {
    try (SearchHandler h = SearchHandler.startEmbedded(config(), Map.of(), new CountingBackend())) {
      post(h.url(), "/search", "{\"queries\": [\"a\", \"a\"]}");
      post(h.url(), "/search", "{\"queries\": [\"a\"]}");
      HttpResponse<String> r = get(h.url(), "/metrics");
      assertEquals(200, r.statusCode());
      assertTrue(
          r.headers()
              .firstValue("Content-Type")
              .orElse("")
              .startsWith("text/plain; version=0.0.4"));
      String text = r.body();
      assertTrue(text.contains("# TYPE dr_handler_request_duration_seconds histogram"), text);
      assertTrue(
          text.contains("dr_handler_requests_total{endpoint=\"/search\",code=\"200\"} 2"), text);
      assertTrue(text.contains("dr_search_queries_total 3"), text);
      assertEquals(
          2,
          h.metrics().cacheHits() + h.metrics().coalescedQueries(),
          "the 2nd and 3rd 'a' share the 1st's");
      assertTrue(
          text.contains("dr_search_backend_requests_total{backend=\"counting\",outcome=\"ok\"} 1"),
          text);
      assertTrue(text.contains("dr_handler_in_flight 1"), "the metrics request itself: " + text);
      assertTrue(text.contains("dr_search_cache_hits_total "), text);
    }
  }

  @Test
  void anUnknownBackendIsAStartupErrorListingTheChoices() {
    ConfigException e = assertThrows(ConfigException.class, () -> config("search.backend=bing"));
    assertTrue(
        e.getMessage()
            .contains("unknown value 'bing'; choose one of: serper, brave, searxng, local"),
        e.getMessage());
  }

  @Test
  void aPaidBackendWithoutItsKeyIsAStartupError() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> SearchHandler.startEmbedded(config("search.backend=serper"), Map.of()));
    assertTrue(
        e.getMessage().contains("environment variable SERPER_API_KEY is not set"), e.getMessage());
  }

  @Test
  void anIndexOfAnotherFormatIsReportedWithHowToRebuildIt() throws IOException {
    Path index = dir.resolve("foreign");
    try (var d = org.apache.lucene.store.FSDirectory.open(index);
        var w =
            new org.apache.lucene.index.IndexWriter(
                d, new org.apache.lucene.index.IndexWriterConfig())) {
      w.addDocument(new org.apache.lucene.document.Document());
      w.commit();
    }
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> SearchHandler.startEmbedded(config("search.local.index=" + index), Map.of()));
    assertTrue(e.getMessage().contains("holds an index of another format"), e.getMessage());
    assertTrue(
        e.getMessage().contains("scripts/build-index --corpus <jsonl> --index " + index),
        e.getMessage());
  }

  @Test
  void theLocalBackendWithoutAnIndexSaysHowToBuildOne() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                SearchHandler.startEmbedded(
                    config("search.local.index=" + dir.resolve("none")), Map.of()));
    assertTrue(e.getMessage().contains("no index at " + dir.resolve("none")), e.getMessage());
    assertTrue(e.getMessage().contains("scripts/build-index --corpus <jsonl>"), e.getMessage());
  }
}
