package dev.deepresearcher.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.cache.DiskCache;
import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.core.testing.MockHttpServer;
import dev.deepresearcher.core.testing.MockHttpServer.Response;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 20,000 requests through the handler to a Serper stand-in that misbehaves at random (429, 5xx,
 * timeouts, garbage, dropped answers): every request is answered, the handler never fails, and the
 * cache holds only correct results afterwards.
 */
@Tag("integration")
class SoakTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int REQUESTS = 20_000;
  private static final int CLIENTS = 64;
  private static final int DISTINCT_QUERIES = 3_000;

  @TempDir Path dir;

  /** What the stand-in answers for a query when it behaves: three results derived from it. */
  private static String organic(String q) throws IOException {
    StringBuilder sb = new StringBuilder("{\"organic\": [");
    for (int i = 0; i < 3; i++) {
      sb.append(i > 0 ? "," : "")
          .append("{\"title\": ")
          .append(JSON.writeValueAsString(q + " #" + i))
          .append(", \"link\": \"https://example.org/")
          .append(Math.abs(q.hashCode()))
          .append('/')
          .append(i)
          .append("\", \"snippet\": \"s\"}");
    }
    return sb.append("]}").toString();
  }

  private static Response flaky(MockHttpServer.Request r) {
    try {
      String q = JSON.readTree(r.body()).get("q").asText();
      int roll = ThreadLocalRandom.current().nextInt(100);
      if (roll < 10) {
        return Response.json(429, "{\"message\": \"rate limit\"}").withHeader("Retry-After", "0");
      }
      if (roll < 18) {
        return Response.json(
            500 + ThreadLocalRandom.current().nextInt(4), "{\"message\": \"oops\"}");
      }
      if (roll < 23) {
        return Response.of(200, "text/html", "<html>maintenance</html>");
      }
      if (roll < 26) {
        return Response.json(200, "{\"organic\": ").withHeader("X-Truncated", "1");
      }
      if (roll < 29) {
        return Response.json(200, organic(q)).delayed(400); // past the 200 ms timeout
      }
      return Response.json(200, organic(q));
    } catch (IOException e) {
      return Response.json(400, "{\"message\": \"bad request\"}");
    }
  }

  @Test
  void twentyThousandRequestsAgainstAFlakyBackendAreAllAnsweredAndTheCacheStaysConsistent()
      throws Exception {
    try (MockHttpServer serper = new MockHttpServer(SoakTest::flaky)) {
      DeepResearcherConfig config =
          ConfigLoader.load(
              null,
              List.of(
                  "cache.path=" + dir.resolve("cache.db"),
                  "search.backend=serper",
                  "search.serper.url=" + serper.url(),
                  "search.timeout=200ms",
                  "search.deadline=3s",
                  "search.max_attempts=4",
                  "search.initial_backoff=1ms",
                  "search.max_backoff=20ms",
                  "search.max_in_flight=32",
                  "search.requests_per_second=100000",
                  "handler.max_concurrent_requests=1024"));
      HttpClient http =
          HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
      AtomicInteger answered = new AtomicInteger();
      AtomicInteger queryErrors = new AtomicInteger();
      AtomicInteger okQueries = new AtomicInteger();
      List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
      long start = System.nanoTime();
      try (SearchHandler handler =
              SearchHandler.startEmbedded(config, Map.of("SERPER_API_KEY", "k"));
          ExecutorService clients =
              Executors.newFixedThreadPool(CLIENTS, Thread.ofVirtual().factory())) {
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          futures.add(
              clients.submit(
                  () -> {
                    SplittableRandom random =
                        new SplittableRandom(Thread.currentThread().threadId());
                    for (int i = next.getAndIncrement(); i < REQUESTS; i = next.getAndIncrement()) {
                      int n = 1 + random.nextInt(3);
                      List<String> queries = new ArrayList<>();
                      for (int k = 0; k < n; k++) {
                        queries.add("soak query " + random.nextInt(DISTINCT_QUERIES));
                      }
                      String body = JSON.writeValueAsString(Map.of("queries", queries, "top_k", 3));
                      HttpResponse<String> r =
                          http.send(
                              HttpRequest.newBuilder(handler.url().resolve("/search"))
                                  .timeout(Duration.ofSeconds(60))
                                  .POST(HttpRequest.BodyPublishers.ofString(body))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString());
                      if (r.statusCode() != 200) {
                        wrong.add("status " + r.statusCode() + ": " + r.body());
                        continue;
                      }
                      JsonNode results = JSON.readTree(r.body()).get("results");
                      if (results.size() != n) {
                        wrong.add("results " + results.size() + " for " + n);
                      }
                      for (int k = 0; k < results.size(); k++) {
                        JsonNode result = results.get(k);
                        if (result.get("error").isNull()) {
                          okQueries.incrementAndGet();
                          String expected = queries.get(k) + " #0";
                          if (!result.get("hits").get(0).get("title").asText().equals(expected)) {
                            wrong.add("wrong hits for " + queries.get(k));
                          }
                        } else {
                          queryErrors.incrementAndGet();
                        }
                      }
                      answered.incrementAndGet();
                    }
                    return null;
                  }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
        assertEquals(
            "ok",
            JSON.readTree(
                    http.send(
                            HttpRequest.newBuilder(handler.url().resolve("/healthz")).build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body())
                .get("status")
                .asText());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "soak: %d requests in %.1f s, %d queries ok, %d query errors, %d backend calls%n",
          answered.get(), seconds, okQueries.get(), queryErrors.get(), serper.calls());
      assertEquals(List.of(), wrong.subList(0, Math.min(10, wrong.size())));
      assertEquals(REQUESTS, answered.get());
      assertTrue(okQueries.get() > queryErrors.get() * 10, "retries rescue most queries");

      // The cache holds only correct results: reopen it and check every query's entry.
      try (DiskCache cache = DiskCache.open(dir.resolve("cache.db"), Long.MAX_VALUE)) {
        assertEquals("ok", cache.integrityCheck());
        assertTrue(cache.stats().entries() <= DISTINCT_QUERIES);
      }
      try (MockHttpServer down = new MockHttpServer(r -> Response.json(503, "{}"))) {
        DeepResearcherConfig offline =
            ConfigLoader.load(
                null,
                List.of(
                    "cache.path=" + dir.resolve("cache.db"),
                    "search.backend=serper",
                    "search.serper.url=" + down.url(),
                    "search.max_attempts=1"));
        try (SearchHandler handler =
                SearchHandler.startEmbedded(offline, Map.of("SERPER_API_KEY", "k"));
            HandlerClient client =
                new HandlerClient(
                    List.of(handler.url()),
                    null,
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(1),
                    1024)) {
          List<String> all = new ArrayList<>();
          for (int q = 0; q < DISTINCT_QUERIES; q++) {
            all.add("soak query " + q);
          }
          int cached = 0;
          for (SearchResult r : client.search(all, 3)) {
            if (r.ok()) {
              cached++;
              assertEquals(
                  r.query() + " #0", r.hits().get(0).title(), "a cached entry is the right one");
            }
          }
          assertTrue(cached > DISTINCT_QUERIES * 0.9, "cached " + cached);
        }
      }
    }
  }
}
