package dev.deepresearcher.browse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.core.testing.MockHttpServer;
import dev.deepresearcher.core.testing.MockHttpServer.Response;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Pages that try to hurt the fetcher: huge, slow, looping, redirecting inward, mislabelled, binary;
 * and every kind of address the model must not reach (SSRF).
 */
class HostileWebTest {
  private static BrowseAgent agent(Map<String, String> names, String... overrides) {
    List<String> all =
        new ArrayList<>(
            List.of("browse.deadline=2s", "browse.read_timeout=1s", "browse.connect_timeout=1s"));
    all.addAll(List.of(overrides));
    return BrowseAgent.create(
        ConfigLoader.load(null, all).browse(),
        Map.of(),
        null,
        List.of(),
        host -> {
          String ip = names.get(host);
          if (ip == null) {
            throw new UnknownHostException(host);
          }
          return List.of(InetAddress.getByName(ip));
        },
        null);
  }

  private static PageResult read(BrowseAgent agent, String url) {
    return agent
        .browse(
            new BrowseRequest(
                "What is on the page?", "page", List.of(url), List.of(url), List.of()))
        .get(0);
  }

  private static void assertRefused(PageResult r, String why) {
    assertTrue(
        r.error() != null && r.error().contains(why), "expected '" + why + "' in: " + r.error());
    assertEquals(List.of(), r.extracts());
  }

  @Test
  void aHugePageIsCutAtTheCapAndStillRead() {
    StringBuilder html =
        new StringBuilder("<html><body><p>What is on the page? The first paragraph answers.</p>");
    while (html.length() < 6_000_000) {
      html.append("<p>Filler paragraph about nothing in particular, repeated many times.</p>\n");
    }
    try (MockHttpServer server =
            new MockHttpServer(r -> Response.of(200, "text/html", html + "</body></html>"));
        BrowseAgent agent =
            agent(
                Map.of(),
                "browse.allow_hosts=[127.0.0.1/32]",
                "browse.deadline=20s",
                "browse.read_timeout=10s")) {
      PageResult r = read(agent, server.url() + "/huge");
      assertEquals(null, r.error());
      assertTrue(r.extracts().get(0).information().contains("The first paragraph answers."));
    }
  }

  @Test
  void aServerThatTricklesBytesIsCutOffAtTheDeadline() throws Exception {
    HttpServer slow =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    slow.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    slow.createContext(
        "/",
        x -> {
          x.getResponseHeaders().set("Content-Type", "text/html");
          x.sendResponseHeaders(200, 0);
          try (OutputStream out = x.getResponseBody()) {
            for (int i = 0; i < 600; i++) {
              out.write("<p>a</p>".getBytes(StandardCharsets.UTF_8));
              out.flush();
              Thread.sleep(100); // always under the 1 s read timeout: only the deadline can stop it
            }
          } catch (Exception e) {
            // the client hung up
          }
        });
    slow.start();
    try (BrowseAgent agent = agent(Map.of(), "browse.allow_hosts=[127.0.0.1/32]")) {
      long start = System.nanoTime();
      PageResult r = read(agent, "http://127.0.0.1:" + slow.getAddress().getPort() + "/");
      double seconds = (System.nanoTime() - start) / 1e9;
      assertRefused(r, "the page did not load within 2 s");
      assertTrue(seconds < 3.5, "took " + seconds + " s");
    } finally {
      slow.stop(0);
    }
  }

  @Test
  void redirectLoopsAndLongChainsAreRefused() {
    try (MockHttpServer server =
            new MockHttpServer(
                r ->
                    switch (r.path()) {
                      case "/a" -> Response.of(302, "text/html", "").withHeader("Location", "/b");
                      case "/b" -> Response.of(301, "text/html", "").withHeader("Location", "/a");
                      default -> {
                        int n = Integer.parseInt(r.path().substring(2));
                        yield Response.of(302, "text/html", "")
                            .withHeader("Location", "/r" + (n + 1));
                      }
                    });
        BrowseAgent agent = agent(Map.of(), "browse.allow_hosts=[127.0.0.1/32]")) {
      assertRefused(read(agent, server.url() + "/a"), "redirect loop");
      assertRefused(read(agent, server.url() + "/r1"), "more than 5 redirects");
    }
  }

  @Test
  void aRedirectFromAnAllowedHostIntoAPrivateAddressIsRefused() {
    try (MockHttpServer inner =
            new MockHttpServer(r -> Response.of(200, "text/html", "<p>internal secrets</p>"));
        MockHttpServer outer =
            new MockHttpServer(
                r ->
                    switch (r.path()) {
                      case "/to-private" ->
                          Response.of(302, "text/html", "")
                              .withHeader("Location", "http://10.0.0.1/admin");
                      case "/to-metadata" ->
                          Response.of(302, "text/html", "")
                              .withHeader("Location", "http://169.254.169.254/latest/meta-data/");
                      default ->
                          Response.of(302, "text/html", "")
                              .withHeader("Location", inner.url() + "/secrets");
                    });
        BrowseAgent agent =
            agent(Map.of(), "browse.allow_hosts=[127.0.0.1:" + outer.url().getPort() + "]")) {
      assertRefused(read(agent, outer.url() + "/to-private"), "10.0.0.1 is a private address");
      assertRefused(
          read(agent, outer.url() + "/to-metadata"), "169.254.169.254 is a link-local address");
      assertRefused(read(agent, outer.url() + "/to-loopback"), "127.0.0.1 is a loopback address");
      assertEquals(0, inner.calls());
    }
  }

  @Test
  void addressesOffThePublicWebAreRefusedUnlessAllowListed() {
    try (MockHttpServer server =
            new MockHttpServer(
                r -> Response.of(200, "text/html", "<p>What is on the page? local</p>"));
        BrowseAgent agent =
            agent(Map.of("public.example", "127.0.0.1", "rebound.example", "10.1.2.3"))) {
      int port = server.url().getPort();
      assertRefused(
          read(agent, "file:///etc/passwd"), "only http and https URLs can be browsed (not file:)");
      assertRefused(read(agent, "ftp://example.org/x"), "only http and https");
      assertRefused(
          read(agent, "http://127.0.0.1:" + port + "/"), "127.0.0.1 is a loopback address");
      assertRefused(read(agent, "http://10.0.0.1/"), "10.0.0.1 is a private address");
      assertRefused(read(agent, "http://192.168.1.1/"), "192.168.1.1 is a private address");
      assertRefused(read(agent, "http://169.254.169.254/latest/meta-data/"), "link-local");
      assertRefused(read(agent, "http://[::1]:" + port + "/"), "loopback");
      assertRefused(
          read(agent, "http://[::ffff:127.0.0.1]:" + port + "/"),
          "127.0.0.1 is a loopback address");
      assertRefused(read(agent, "http://0.0.0.0:" + port + "/"), "unspecified");
      assertRefused(read(agent, "http://224.0.0.1/"), "multicast");
      assertRefused(
          read(agent, "http://public.example:" + port + "/"),
          "public.example resolves to 127.0.0.1 is a loopback address");
      assertRefused(
          read(agent, "http://rebound.example/"),
          "rebound.example resolves to 10.1.2.3 is a private address");
      assertEquals(0, server.calls(), "nothing reached the private server");
    }
    try (MockHttpServer server =
            new MockHttpServer(
                r -> Response.of(200, "text/html", "<p>What is on the page? local</p>"));
        BrowseAgent agent =
            agent(Map.of("public.example", "127.0.0.1"), "browse.allow_hosts=[127.0.0.0/8]")) {
      assertEquals(
          null, read(agent, "http://public.example:" + server.url().getPort() + "/").error());
      assertEquals(null, read(agent, server.url() + "/").error());
    }
  }

  @Test
  void mislabelledAndBadlyEncodedTextIsStillRead() {
    byte[] latin1 =
        "<html><head><meta charset=\"windows-1252\"></head><body><p>What is on the page? Caf\u00e9 na\u00efve.</p></body></html>"
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] broken =
        "<p>What is on the page? valid \u00e9 then bad \u00ff\u00fe bytes</p>"
            .getBytes(StandardCharsets.ISO_8859_1);
    try (MockHttpServer server =
            new MockHttpServer(
                r ->
                    switch (r.path()) {
                      case "/bogus" ->
                          Response.of(
                              200,
                              "text/html; charset=no-such-charset",
                              "<p>What is on the page? Ünïcode ok</p>");
                      case "/latin1" -> Response.bytes(200, "text/html", latin1);
                      default -> Response.bytes(200, "text/html; charset=utf-8", broken);
                    });
        BrowseAgent agent = agent(Map.of(), "browse.allow_hosts=[127.0.0.1/32]")) {
      assertTrue(
          read(agent, server.url() + "/bogus")
              .extracts()
              .get(0)
              .information()
              .contains("Ünïcode ok"));
      assertTrue(
          read(agent, server.url() + "/latin1")
              .extracts()
              .get(0)
              .information()
              .contains("Café naïve."));
      String s = read(agent, server.url() + "/broken").extracts().get(0).information();
      assertTrue(s.contains("\uFFFD"), "bad bytes became replacement characters: " + s);
    }
  }

  @Test
  void errorsOfTheWebAreReportedPerUrl() {
    try (MockHttpServer server =
            new MockHttpServer(
                r ->
                    switch (r.path()) {
                      case "/image.png" ->
                          Response.bytes(
                              200, "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0});
                      case "/empty" ->
                          Response.of(
                              200, "text/html", "<html><body><script>x()</script></body></html>");
                      case "/gone" -> Response.of(410, "text/html", "gone");
                      default ->
                          Response.of(200, "text/plain", "What is on the page? Plain text works.");
                    });
        BrowseAgent agent = agent(Map.of(), "browse.allow_hosts=[127.0.0.1/32]")) {
      String base = server.url().toString();
      List<String> urls =
          List.of(
              base + "/image.png",
              base + "/empty",
              base + "/gone",
              base + "/notes.txt",
              "http://unknown.example/");
      List<PageResult> r =
          agent.browse(new BrowseRequest("What is on the page?", "", urls, urls, List.of()));
      assertRefused(
          r.get(0), "cannot read image/png: only web pages, plain text and PDFs can be browsed");
      assertRefused(r.get(1), "the page has no readable text");
      assertRefused(r.get(2), "the page answered 410");
      assertEquals(
          "What is on the page? Plain text works.", r.get(3).extracts().get(0).information());
      assertRefused(r.get(4), "unknown host unknown.example");
    }
  }
}
