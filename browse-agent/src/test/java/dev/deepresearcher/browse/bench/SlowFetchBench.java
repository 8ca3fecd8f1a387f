package dev.deepresearcher.browse.bench;

import com.sun.net.httpserver.HttpServer;
import dev.deepresearcher.browse.BrowseAgent;
import dev.deepresearcher.browse.BrowseRequest;
import dev.deepresearcher.browse.PageResult;
import dev.deepresearcher.core.config.ConfigLoader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * 256 pages fetched at once from slow local servers (each answers after {@code delay} ms): the
 * agent's pool runs them in parallel within the per-host limit, and every fetch ends within its
 * deadline. Prints the wall time and the outcome counts.
 *
 * <pre>
 * scripts/bench browse-agent --main dev.deepresearcher.browse.bench.SlowFetchBench [pages] [servers] [delayMs]
 * </pre>
 */
public final class SlowFetchBench {
  private SlowFetchBench() {}

  public static void main(String[] args) throws Exception {
    int pages = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    int servers = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int delay = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    byte[] page =
        ("<html><body><p>The answer to the benchmark question is 42. "
                + "Filler sentence about the benchmark. ".repeat(200)
                + "</p></body></html>")
            .getBytes(StandardCharsets.UTF_8);
    List<HttpServer> started = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    try {
      for (int s = 0; s < servers; s++) {
        HttpServer server =
            HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(
            "/",
            x -> {
              try {
                Thread.sleep(delay);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
              x.sendResponseHeaders(200, page.length);
              try (OutputStream out = x.getResponseBody()) {
                out.write(page);
              }
            });
        server.start();
        started.add(server);
      }
      for (int p = 0; p < pages; p++) {
        urls.add(
            "http://127.0.0.1:" + started.get(p % servers).getAddress().getPort() + "/page" + p);
      }
      var config =
          ConfigLoader.load(
                  null,
                  List.of(
                      "browse.allow_hosts=[127.0.0.1/32]",
                      "browse.max_concurrent_fetches=256",
                      "browse.max_per_host=4",
                      "browse.deadline=30s"))
              .browse();
      try (BrowseAgent agent = BrowseAgent.create(config, Map.of(), null, List.of())) {
        agent.browse(new BrowseRequest("warm-up", "", urls.subList(0, 4), urls, List.of()));
        for (int round = 0; round < 3; round++) {
          long start = System.nanoTime();
          List<PageResult> results =
              agent.browse(
                  new BrowseRequest(
                      "What is the answer to the benchmark question?",
                      "benchmark answer",
                      urls,
                      urls,
                      List.of()));
          double seconds = (System.nanoTime() - start) / 1e9;
          long ok = results.stream().filter(PageResult::ok).count();
          System.out.printf(
              Locale.ROOT,
              "round %d: %d pages from %d servers (%d ms each, 4 per host at once) in %.2f s: %d ok, %d errors%n",
              round,
              pages,
              servers,
              delay,
              seconds,
              ok,
              pages - ok);
        }
      }
    } finally {
      started.forEach(s -> s.stop(0));
    }
  }
}
