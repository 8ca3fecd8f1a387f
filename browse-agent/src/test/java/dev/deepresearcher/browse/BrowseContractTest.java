package dev.deepresearcher.browse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.cache.DiskCache;
import dev.deepresearcher.core.config.BrowseConfig;
import dev.deepresearcher.core.testing.MockHttpServer;
import dev.deepresearcher.core.testing.MockHttpServer.Response;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a trajectory may read, what it sees again, what the cache saves, how much runs at once. */
class BrowseContractTest {
  @TempDir Path dir;

  private static final String PAGE =
      "<html><body><p>The Zorblax Institute was founded in 1911 by Mira Quell.</p>"
          + "<p>Its telescope was finished in 1914.</p></body></html>";

  private static BrowseAgent agent(BrowseConfig config, DiskCache cache) {
    return BrowseAgent.create(config, Map.of(), cache, List.of());
  }

  @Test
  void onlyUrlsFromTheLastSearchAreRead() {
    try (MockHttpServer server = new MockHttpServer(r -> Response.of(200, "text/html", PAGE));
        BrowseAgent agent =
            agent(BrowseAgentTest.config("browse.allow_hosts=[127.0.0.1/32]"), null)) {
      String allowed = server.url() + "/a";
      String other = server.url() + "/b";
      List<PageResult> r =
          agent.browse(
              new BrowseRequest(
                  "When was the institute founded?",
                  "Zorblax",
                  List.of(allowed + "#top", other),
                  List.of(allowed + "/"),
                  List.of()));
      assertEquals(null, r.get(0).error(), "fragments and trailing slashes do not matter");
      assertEquals(
          "not browsed: this URL is not among the results of your last web_search; browse URLs from"
              + " those results, or search again",
          r.get(1).error());
      assertEquals(1, server.calls());
    }
  }

  @Test
  void extractsAlreadyReturnedToTheTrajectoryAreNotReturnedAgain() {
    try (MockHttpServer server = new MockHttpServer(r -> Response.of(200, "text/html", PAGE));
        BrowseAgent agent =
            agent(BrowseAgentTest.config("browse.allow_hosts=[127.0.0.1/32]"), null)) {
      String url = server.url() + "/a";
      BrowseRequest first =
          new BrowseRequest(
              "When was the Zorblax Institute founded?",
              "Zorblax founded",
              List.of(url),
              List.of(url),
              List.of());
      Extract e = agent.browse(first).get(0).extracts().get(0);
      BrowseRequest again =
          new BrowseRequest(
              first.question(), first.subQuestion(), List.of(url), List.of(url), List.of(e.id()));
      PageResult r = agent.browse(again).get(0);
      assertEquals(null, r.error());
      assertEquals(List.of(), r.extracts());
      assertEquals(e, agent.browse(first).get(0).extracts().get(0), "ids are stable");
    }
  }

  @Test
  void aPageReadOnceIsServedFromTheCacheAfterwards() {
    try (MockHttpServer server = new MockHttpServer(r -> Response.of(200, "text/html", PAGE));
        DiskCache cache = DiskCache.open(dir.resolve("cache.db"), 1 << 24)) {
      String url = server.url() + "/a";
      BrowseRequest req =
          new BrowseRequest("founded?", "Zorblax founded", List.of(url), List.of(url), List.of());
      try (BrowseAgent agent =
          agent(BrowseAgentTest.config("browse.allow_hosts=[127.0.0.1/32]"), cache)) {
        agent.browse(req);
      }
      try (BrowseAgent agent =
          agent(BrowseAgentTest.config("browse.allow_hosts=[127.0.0.1/32]"), cache)) {
        PageResult r = agent.browse(req).get(0);
        assertTrue(r.extracts().get(0).information().contains("founded in 1911"));
      }
      assertEquals(1, server.calls(), "the second agent read the page from the cache");
    }
  }

  @Test
  void manyPagesAreReadInParallelWithinTheLimits() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    try (MockHttpServer server =
            new MockHttpServer(
                r -> {
                  peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  inFlight.decrementAndGet();
                  return Response.of(200, "text/html", PAGE);
                });
        BrowseAgent agent =
            agent(
                BrowseAgentTest.config(
                    "browse.allow_hosts=[127.0.0.1/32]",
                    "browse.max_per_host=5",
                    "browse.deadline=10s"),
                null)) {
      List<String> urls = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        urls.add(server.url() + "/p" + i);
      }
      long start = System.nanoTime();
      List<PageResult> results =
          agent.browse(new BrowseRequest("founded?", "Zorblax", urls, urls, List.of()));
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(results.stream().allMatch(PageResult::ok));
      assertEquals(5, peak.get(), "the per-host limit holds");
      assertTrue(seconds < 2.5, "40 pages, 5 at a time, 100 ms each: " + seconds + " s");
    }
  }
}
