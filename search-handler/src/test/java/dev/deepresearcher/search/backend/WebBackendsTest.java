package dev.deepresearcher.search.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.config.SearchConfig;
import dev.deepresearcher.core.config.SecretEnv;
import dev.deepresearcher.core.testing.MockHttpServer;
import dev.deepresearcher.core.testing.MockHttpServer.Response;
import dev.deepresearcher.search.BackendException;
import dev.deepresearcher.search.BackendException.Kind;
import dev.deepresearcher.search.SearchBackend;
import dev.deepresearcher.search.SearchHit;
import dev.deepresearcher.search.internal.backend.BraveBackend;
import dev.deepresearcher.search.internal.backend.SearxngBackend;
import dev.deepresearcher.search.internal.backend.SerperBackend;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each web backend against a local server speaking its real wire format, including failures. */
class WebBackendsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofMillis(500);

  enum Api {
    SERPER,
    BRAVE,
    SEARXNG
  }

  private static SearchBackend backend(Api api, MockHttpServer server) {
    return switch (api) {
      case SERPER ->
          new SerperBackend(
              new SearchConfig.Serper(
                  server.url(), new SecretEnv("SERPER_API_KEY", "k"), "us", "en"),
              "serper-key",
              TIMEOUT);
      case BRAVE ->
          new BraveBackend(
              new SearchConfig.Brave(server.url(), new SecretEnv("BRAVE_API_KEY", "k")),
              "brave-token",
              TIMEOUT);
      case SEARXNG -> new SearxngBackend(new SearchConfig.Searxng(server.url()), TIMEOUT);
    };
  }

  /** A successful answer with three results in the API's own layout. */
  private static String answer(Api api) {
    return switch (api) {
      case SERPER ->
          """
          {"searchParameters": {"q": "x"}, "organic": [
            {"title": "Paris - Wikipedia", "link": "https://en.wikipedia.org/wiki/Paris", "snippet": "Paris is the capital.", "position": 1},
            {"title": "No link", "snippet": "skipped"},
            {"title": "Paris travel", "link": "https://travel.example/paris", "snippet": "Visit.", "position": 2},
            {"title": "Third", "link": "https://third.example", "snippet": "3"}]}
          """;
      case BRAVE ->
          """
          {"type": "search", "web": {"type": "search", "results": [
            {"title": "Paris - Wikipedia", "url": "https://en.wikipedia.org/wiki/Paris", "description": "Paris is the capital."},
            {"title": "Paris travel", "url": "https://travel.example/paris", "description": "Visit."},
            {"title": "Third", "url": "https://third.example", "description": "3"}]}}
          """;
      case SEARXNG ->
          """
          {"query": "x", "number_of_results": 3, "results": [
            {"title": "Paris - Wikipedia", "url": "https://en.wikipedia.org/wiki/Paris", "content": "Paris is the capital.", "engine": "wikipedia"},
            {"title": "Paris travel", "url": "https://travel.example/paris", "content": "Visit."},
            {"title": "Third", "url": "https://third.example", "content": "3"}]}
          """;
    };
  }

  @ParameterizedTest
  @EnumSource(Api.class)
  void sendsTheApisRequestAndReadsItsResults(Api api) throws Exception {
    try (MockHttpServer server = new MockHttpServer(r -> Response.json(200, answer(api)));
        SearchBackend backend = backend(api, server)) {
      List<SearchHit> hits = backend.search("capital of france", 2);
      assertEquals(
          List.of(
              new SearchHit(
                  "Paris - Wikipedia",
                  "https://en.wikipedia.org/wiki/Paris",
                  "Paris is the capital."),
              new SearchHit("Paris travel", "https://travel.example/paris", "Visit.")),
          hits,
          "top_k caps the hits, entries without a URL are skipped");
      MockHttpServer.Request r = server.received().get(0);
      switch (api) {
        case SERPER -> {
          assertEquals("POST", r.method());
          assertEquals("/search", r.path());
          assertEquals("serper-key", r.header("X-API-KEY"));
          JsonNode body = JSON.readTree(r.body());
          assertEquals("capital of france", body.get("q").asText());
          assertEquals(2, body.get("num").asInt());
          assertEquals("us", body.get("gl").asText());
          assertEquals("en", body.get("hl").asText());
        }
        case BRAVE -> {
          assertEquals("GET", r.method());
          assertEquals("/res/v1/web/search", r.path());
          assertEquals("capital of france", r.param("q"));
          assertEquals("2", r.param("count"));
          assertEquals("brave-token", r.header("X-Subscription-Token"));
        }
        case SEARXNG -> {
          assertEquals("GET", r.method());
          assertEquals("/search", r.path());
          assertEquals("capital of france", r.param("q"));
          assertEquals("json", r.param("format"));
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Api.class)
  void rateLimitsAreClassifiedWithTheirRetryAfter(Api api) {
    BackendException e =
        fail(
            api,
            r -> Response.json(429, "{\"message\": \"too many\"}").withHeader("Retry-After", "7"));
    assertEquals(Kind.RATE_LIMITED, e.kind());
    assertEquals(Duration.ofSeconds(7), e.retryAfter());
  }

  @ParameterizedTest
  @EnumSource(Api.class)
  void serverErrorsAreRetryable(Api api) {
    BackendException e = fail(api, r -> Response.json(503, "{\"error\": \"unavailable\"}"));
    assertEquals(Kind.SERVER_ERROR, e.kind());
    assertTrue(e.kind().retryable());
    assertTrue(e.getMessage().contains("503"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Api.class)
  void malformedJsonIsABadResponse(Api api) {
    assertEquals(
        Kind.BAD_RESPONSE,
        fail(api, r -> Response.of(200, "text/html", "<html>oops</html>")).kind());
    assertEquals(
        Kind.BAD_RESPONSE,
        fail(api, r -> Response.json(200, "{\"organic\": 5, \"web\": 5, \"results\": 5}")).kind());
  }

  @ParameterizedTest
  @EnumSource(Api.class)
  void aSlowServerTimesOut(Api api) {
    BackendException e = fail(api, r -> Response.json(200, answer(api)).delayed(2000));
    assertEquals(Kind.TIMEOUT, e.kind());
  }

  @ParameterizedTest
  @EnumSource(Api.class)
  void aBadKeyIsNotRetryableAndSaysWhereTheKeyComesFrom(Api api) {
    BackendException e =
        fail(
            api,
            r -> Response.json(api == Api.SEARXNG ? 403 : 401, "{\"message\": \"Unauthorized.\"}"));
    assertEquals(Kind.CLIENT_ERROR, e.kind());
    assertTrue(!e.kind().retryable());
    String hint = api == Api.SEARXNG ? "enable the json format" : "api_key_env";
    assertTrue(e.getMessage().contains(hint), e.getMessage());
    assertTrue(!e.getMessage().contains("serper-key") && !e.getMessage().contains("brave-token"));
  }

  @ParameterizedTest
  @EnumSource(Api.class)
  void aServerThatIsGoneIsAConnectionError(Api api) {
    MockHttpServer server = new MockHttpServer(r -> Response.json(200, "{}"));
    server.close();
    try (SearchBackend backend = backend(api, server)) {
      BackendException e = assertThrows(BackendException.class, () -> backend.search("q", 3));
      assertEquals(Kind.CONNECTION, e.kind());
    }
  }

  @ParameterizedTest
  @EnumSource(Api.class)
  void noResultsIsAnEmptyList(Api api) {
    try (MockHttpServer server = new MockHttpServer(r -> Response.json(200, "{}"));
        SearchBackend backend = backend(api, server)) {
      assertEquals(List.of(), backend.search("zxqv", 3));
    }
  }

  private static BackendException fail(
      Api api, Function<MockHttpServer.Request, Response> handler) {
    try (MockHttpServer server = new MockHttpServer(handler);
        SearchBackend backend = backend(api, server)) {
      BackendException e = assertThrows(BackendException.class, () -> backend.search("q", 3));
      assertNotNull(e.getMessage());
      return e;
    }
  }
}
