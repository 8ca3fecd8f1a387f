package dev.deepresearcher.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.browse.BrowseRequest;
import dev.deepresearcher.browse.PageResult;
import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local backend end to end: an index built on start, search, and the /doc/{id} pages. */
class LocalHandlerTest {
  @TempDir Path dir;

  @Test
  void searchResultsLinkToPagesTheHandlerServes() throws Exception {
    Path corpus = dir.resolve("corpus.jsonl");
    Files.write(
        corpus,
        List.of(
            "{\"id\": \"d1\", \"title\": \"Zorblax <Institute>\", \"text\": \"The Zorblax Institute was founded in 1911 by Mira Quell.\\n\\nIt studies comets & tides.\"}",
            "{\"id\": \"d 2/x\", \"title\": \"Quell\", \"text\": \"Mira Quell was a comet astronomer.\"}",
            "{\"id\": \"d3\", \"title\": \"Elsewhere\", \"text\": \"Unrelated.\", \"url\": \"https://example.org/elsewhere\"}"));
    DeepResearcherConfig config =
        ConfigLoader.load(
            null,
            List.of(
                "cache.path=" + dir.resolve("cache.db"),
                "search.local.index=" + dir.resolve("index"),
                "search.local.corpus=" + corpus));
    HttpClient http = HttpClient.newHttpClient();
    try (SearchHandlers.Connection c = SearchHandlers.connect(config, Map.of())) {
      List<SearchResult> results =
          c.client()
              .search(List.of("who founded the Zorblax institute, Mira Quell?", "unrelated"), 5);
      SearchHit top = results.get(0).hits().get(0);
      assertEquals("Zorblax <Institute>", top.title());
      URI url = URI.create(top.url());
      assertEquals(c.embedded().url().resolve("/doc/d1"), url);
      HttpResponse<String> page =
          http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
      assertEquals(
          "text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
      assertTrue(page.body().contains("<h1>Zorblax &lt;Institute&gt;</h1>"), page.body());
      assertTrue(page.body().contains("<p>It studies comets &amp; tides.</p>"), page.body());

      SearchHit quell =
          results.get(0).hits().stream()
              .filter(h -> h.title().equals("Quell"))
              .findFirst()
              .orElseThrow();
      assertEquals(c.embedded().url() + "/doc/d%202%2Fx", quell.url(), "ids are escaped in links");
      assertEquals(
          200,
          http.send(
                  HttpRequest.newBuilder(URI.create(quell.url())).build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode());

      assertEquals(
          "https://example.org/elsewhere",
          results.get(1).hits().get(0).url(),
          "a corpus URL is kept");
      HttpResponse<String> missing =
          http.send(
              HttpRequest.newBuilder(c.embedded().url().resolve("/doc/nope")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(404, missing.statusCode());

      // Browse the search's own /doc pages through the handler, with the offline reader.
      List<String> found = results.get(0).hits().stream().map(SearchHit::url).toList();
      String question = "Who founded the Zorblax Institute, and when?";
      List<PageResult> pages =
          c.client()
              .browse(
                  new BrowseRequest(
                      question,
                      "Zorblax institute founder",
                      List.of(found.get(0), "http://10.0.0.1/x"),
                      found,
                      List.of()));
      assertEquals(null, pages.get(0).error());
      assertTrue(
          pages.get(0).extracts().get(0).information().contains("founded in 1911 by Mira Quell"),
          pages.get(0).toString());
      assertTrue(
          pages.get(1).error().startsWith("not browsed: this URL is not among the results"),
          pages.get(1).error());

      // A corpus page with its own URL is read from the index: nothing is fetched (the host
      // does not even resolve here).
      List<PageResult> offline =
          c.client()
              .browse(
                  new BrowseRequest(
                      "What is elsewhere?",
                      "unrelated",
                      List.of("https://example.org/elsewhere"),
                      List.of("https://example.org/elsewhere"),
                      List.of()));
      assertEquals(null, offline.get(0).error(), offline.toString());
      assertTrue(
          offline.get(0).extracts().get(0).information().contains("Unrelated."),
          offline.toString());

      List<PageResult> again =
          c.client()
              .browse(
                  new BrowseRequest(
                      question,
                      "Zorblax institute founder",
                      List.of(found.get(0)),
                      found,
                      List.of(pages.get(0).extracts().get(0).id())));
      assertEquals(
          List.of(), again.get(0).extracts(), "an extract is not returned twice to one trajectory");
    }
  }
}
