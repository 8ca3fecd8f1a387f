package dev.deepresearcher.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.testing.MockHttpServer;
import dev.deepresearcher.core.testing.MockHttpServer.Response;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Spreading, failover and batching of the client, against stand-in replicas. */
class HandlerClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A replica that answers /search with one hit per query, naming itself. */
  private static Response replica(String name, MockHttpServer.Request r) {
    try {
      JsonNode body = JSON.readTree(r.body());
      StringBuilder sb = new StringBuilder("{\"results\": [");
      for (int i = 0; i < body.get("queries").size(); i++) {
        String q = body.get("queries").get(i).asText();
        sb.append(i > 0 ? "," : "")
            .append("{\"query\": ")
            .append(JSON.writeValueAsString(q))
            .append(", \"hits\": [{\"title\": \"")
            .append(name)
            .append("\", \"url\": \"https://x\", \"snippet\": \"s\"}], \"error\": null}");
      }
      return Response.json(200, sb.append("]}").toString());
    } catch (IOException e) {
      return Response.json(400, "{\"error\": \"bad\"}");
    }
  }

  private static HandlerClient client(List<URI> urls, AtomicLong clock, int maxPerCall) {
    return new HandlerClient(
        urls, "tok", Duration.ofSeconds(2), Duration.ofSeconds(5), maxPerCall, clock::get);
  }

  @Test
  void callsAreSpreadOverTheReplicasAndCarryTheToken() {
    try (MockHttpServer a = new MockHttpServer(r -> replica("a", r));
        MockHttpServer b = new MockHttpServer(r -> replica("b", r));
        HandlerClient client = client(List.of(a.url(), b.url()), new AtomicLong(), 100)) {
      for (int i = 0; i < 10; i++) {
        client.search(List.of("q" + i), 3);
      }
      assertEquals(5, a.calls());
      assertEquals(5, b.calls());
      assertEquals("Bearer tok", a.received().get(0).header("Authorization"));
    }
  }

  @Test
  void aReplicaThatIsDownIsSkippedUntilItsTimeIsUp() {
    AtomicLong clock = new AtomicLong();
    MockHttpServer dead = new MockHttpServer(r -> Response.json(200, "{}"));
    dead.close();
    try (MockHttpServer b = new MockHttpServer(r -> replica("b", r));
        HandlerClient client = client(List.of(dead.url(), b.url()), clock, 100)) {
      for (int i = 0; i < 6; i++) {
        List<SearchResult> r = client.search(List.of("q"), 3);
        assertEquals("b", r.get(0).hits().get(0).title());
      }
      assertEquals(6, b.calls());
    }
  }

  @Test
  void saturatedOrFailingReplicasHandTheCallToTheNext() {
    try (MockHttpServer busy =
            new MockHttpServer(
                r ->
                    Response.json(429, "{\"error\": \"saturated\"}")
                        .withHeader("Retry-After", "1"));
        MockHttpServer broken =
            new MockHttpServer(r -> Response.json(500, "{\"error\": \"boom\"}"));
        MockHttpServer ok = new MockHttpServer(r -> replica("ok", r));
        HandlerClient client =
            client(List.of(busy.url(), broken.url(), ok.url()), new AtomicLong(), 100)) {
      assertEquals("ok", client.search(List.of("q"), 3).get(0).hits().get(0).title());
    }
  }

  @Test
  void whenNoReplicaAnswersTheErrorNamesEach() {
    try (MockHttpServer busy =
            new MockHttpServer(r -> Response.json(503, "{\"error\": \"down for maintenance\"}"));
        HandlerClient client =
            client(List.of(busy.url(), URI.create("http://127.0.0.1:1")), new AtomicLong(), 100)) {
      SearchException e = assertThrows(SearchException.class, () -> client.search(List.of("q"), 3));
      assertTrue(e.getMessage().startsWith("no search handler answered: "), e.getMessage());
      assertTrue(e.getMessage().contains("503: down for maintenance"), e.getMessage());
      assertTrue(e.getMessage().contains("http://127.0.0.1:1"), e.getMessage());
    }
  }

  @Test
  void aRejectedRequestIsNotRetriedElsewhere() {
    try (MockHttpServer a =
            new MockHttpServer(
                r -> Response.json(413, "{\"error\": \"5 queries in one request; at most 3\"}"));
        MockHttpServer b = new MockHttpServer(r -> replica("b", r));
        HandlerClient client = client(List.of(a.url(), b.url()), new AtomicLong(), 100)) {
      SearchException e = assertThrows(SearchException.class, () -> client.search(List.of("q"), 3));
      assertTrue(
          e.getMessage().contains("refused the request (413): 5 queries in one request"),
          e.getMessage());
      assertEquals(0, b.calls());
    }
  }

  @Test
  void largeBatchesAreSplitAndReassembledInOrder() throws IOException {
    try (MockHttpServer a = new MockHttpServer(r -> replica("a", r));
        HandlerClient client = client(List.of(a.url()), new AtomicLong(), 3)) {
      List<String> queries = List.of("q0", "q1", "q2", "q3", "q4", "q5", "q6");
      List<SearchResult> results = client.search(queries, 3);
      assertEquals(queries, results.stream().map(SearchResult::query).toList());
      assertEquals(3, a.calls());
      assertEquals(3, JSON.readTree(a.received().get(0).body()).get("queries").size());
    }
  }
}
