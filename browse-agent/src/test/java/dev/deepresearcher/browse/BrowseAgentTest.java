package dev.deepresearcher.browse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.cache.DiskCache;
import dev.deepresearcher.core.config.BrowseConfig;
import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.core.testing.MockHttpServer;
import dev.deepresearcher.core.testing.MockHttpServer.Response;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against a local web of realistic and hostile pages, with the offline reader. */
class BrowseAgentTest {
  @TempDir Path dir;

  static BrowseConfig config(String... overrides) {
    List<String> all =
        new ArrayList<>(
            List.of("browse.deadline=2s", "browse.read_timeout=1s", "browse.connect_timeout=1s"));
    all.addAll(List.of(overrides));
    return ConfigLoader.load(null, all).browse();
  }

  /** Names that resolve where the test says; anything else is unknown. */
  static InetAddress[] resolve(Map<String, String> names, String host) throws UnknownHostException {
    String ip = names.get(host);
    if (ip == null) {
      throw new UnknownHostException(host);
    }
    return new InetAddress[] {InetAddress.getByName(ip)};
  }

  private BrowseAgent agent(BrowseConfig config, DiskCache cache, Map<String, String> names) {
    return BrowseAgent.create(
        config, Map.of(), cache, List.of(), host -> List.of(resolve(names, host)), null);
  }

  private static List<PageResult> browse(
      BrowseAgent agent, String question, String query, List<String> urls) {
    return agent.browse(new BrowseRequest(question, query, urls, urls, List.of()));
  }

  private static Function<MockHttpServer.Request, Response> web(Map<String, Response> pages) {
    return r -> pages.getOrDefault(r.path(), Response.of(404, "text/html", "<h1>Not found</h1>"));
  }

  @Test
  void anArticleIsReadDownToTheRelevantPassages() throws Exception {
    String html = HtmlTextTest.resource("article.html");
    try (MockHttpServer server =
            new MockHttpServer(
                web(Map.of("/history", Response.of(200, "text/html; charset=utf-8", html))));
        BrowseAgent agent =
            agent(
                config("browse.allow_hosts=[127.0.0.1/32]", "browse.reader.offline_chars=200"),
                null,
                Map.of())) {
      String url = server.url() + "/history";
      List<PageResult> results =
          browse(
              agent,
              "Who succeeded Mira Quell as director?",
              "Zorblax Institute directors",
              List.of(url));
      PageResult r = results.get(0);
      assertEquals(null, r.error());
      assertEquals(1, r.extracts().size());
      Extract e = r.extracts().get(0);
      assertEquals(1, e.pageNumber());
      assertTrue(e.information().contains("succeeded by Tomas Reyl"), e.information());
      assertTrue(e.information().length() <= 200, e.information());
      assertEquals(16, e.id().length());
      assertTrue(server.received().get(0).header("User-Agent").startsWith("DeepResearcher-JVM/"));
    }
  }

  @Test
  void aPdfIsRead() throws Exception {
    byte[] pdf =
        Pdfs.pdf(
            "Comet survey",
            new String[] {
              "Annual report of the Zorblax Institute.", "Observers logged 42 comets in 1923."
            },
            new String[] {"The brightest comet of the decade was Comet Vantor."});
    try (MockHttpServer server =
            new MockHttpServer(r -> Response.bytes(200, "application/pdf", pdf));
        BrowseAgent agent = agent(config("browse.allow_hosts=[127.0.0.1/32]"), null, Map.of())) {
      String url = server.url() + "/report.pdf";
      PageResult r =
          browse(agent, "How many comets were logged in 1923?", "Zorblax comets 1923", List.of(url))
              .get(0);
      assertEquals(null, r.error());
      String all = String.join("\n", r.extracts().stream().map(Extract::information).toList());
      assertTrue(all.contains("42 comets in 1923"), all);
    }
  }
}
