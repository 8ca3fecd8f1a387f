package dev.deepresearcher.search.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.search.SearchBackend;
import dev.deepresearcher.search.SearchHandler;
import dev.deepresearcher.search.SearchHit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Cached {@code /search} under load: a handler whose backend answers instantly, a warmed cache, and
 * {@code clients} concurrent clients sending one-query requests (top 10) on keep-alive connections
 * for {@code seconds}. The load comes from {@code wrk} when it is on the PATH (it costs the machine
 * least), else from Java's HTTP client on virtual threads. Prints requests/s and latency
 * percentiles. Client and server share the machine.
 *
 * <pre>
 * scripts/bench search-handler --main dev.deepresearcher.search.bench.SearchLoadBench [clients] [seconds] [queries]
 * </pre>
 */
public final class SearchLoadBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SearchLoadBench() {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int distinct = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    Path dir = Files.createTempDirectory("search-bench");
    SearchBackend instant =
        new SearchBackend() {
          @Override
          public String name() {
            return "instant";
          }

          @Override
          public List<SearchHit> search(String query, int topK) {
            List<SearchHit> hits = new ArrayList<>();
            for (int i = 0; i < topK; i++) {
              hits.add(
                  new SearchHit(
                      query + " result " + i,
                      "https://example.org/" + i,
                      "A snippet of about one hundred and fifty characters, as search engines return them, for the query "
                          + query));
            }
            return hits;
          }
        };
    var config =
        ConfigLoader.load(
            null,
            List.of(
                "cache.path=" + dir.resolve("cache.db"), "handler.max_concurrent_requests=4096"));
    try (SearchHandler handler = SearchHandler.startEmbedded(config, Map.of(), instant)) {
      URI search = handler.url().resolve("/search");
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      List<byte[]> bodies = new ArrayList<>();
      for (int q = 0; q < distinct; q++) {
        bodies.add(
            JSON.writeValueAsBytes(
                Map.of("queries", List.of("benchmark query number " + q), "top_k", 10)));
        http.send(
            post(search, bodies.get(q)), HttpResponse.BodyHandlers.discarding()); // warm the cache
      }
      System.out.printf(
          Locale.ROOT, "warmed %d queries; %d clients for %d s%n", distinct, clients, seconds);
      run(http, search, bodies, clients, 3, false); // JIT warm-up
      if (onPath("wrk")) {
        Path lua = dir.resolve("search.lua");
        StringBuilder script = new StringBuilder("local bodies = {}\n");
        for (int i = 0; i < bodies.size(); i++) {
          script
              .append("bodies[")
              .append(i + 1)
              .append("] = ")
              .append(JSON.writeValueAsString(new String(bodies.get(i), StandardCharsets.UTF_8)))
              .append('\n');
        }
        script
            .append("wrk.method = \"POST\"\n")
            .append("wrk.headers[\"Content-Type\"] = \"application/json\"\n")
            .append("request = function()\n")
            .append("  return wrk.format(nil, \"/search\", nil, bodies[math.random(#bodies)])\n")
            .append("end\n");
        Files.writeString(lua, script);
        System.out.println("load from wrk:");
        new ProcessBuilder(
                "wrk",
                "-t2",
                "-c" + clients,
                "-d" + seconds + "s",
                "--latency",
                "-s",
                lua.toString(),
                handler.url().toString())
            .inheritIO()
            .start()
            .waitFor();
      } else {
        System.out.println(
            "load from Java's HTTP client (install wrk for a lighter load generator):");
        run(http, search, bodies, clients, seconds, true);
      }
      System.out.printf(
          Locale.ROOT,
          "cache hits %d, misses %d%n",
          handler.metrics().cacheHits(),
          handler.metrics().cacheMisses());
    }
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  private static HttpRequest post(URI uri, byte[] body) {
    return HttpRequest.newBuilder(uri)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", "application/json")
        .build();
  }

  private static void run(
      HttpClient http, URI search, List<byte[]> bodies, int clients, int seconds, boolean report)
      throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Future<long[]>> futures = new ArrayList<>();
    long start = System.nanoTime();
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        int id = c;
        futures.add(
            exec.submit(
                () -> {
                  SplittableRandom random = new SplittableRandom(id);
                  long[] latencies = new long[1 << 16];
                  int n = 0;
                  while (System.nanoTime() < end) {
                    byte[] body = bodies.get(random.nextInt(bodies.size()));
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> r =
                        http.send(post(search, body), HttpResponse.BodyHandlers.ofByteArray());
                    long t = System.nanoTime() - t0;
                    if (r.statusCode() != 200) {
                      throw new IllegalStateException("status " + r.statusCode());
                    }
                    if (n == latencies.length) {
                      latencies = Arrays.copyOf(latencies, n * 2);
                    }
                    latencies[n++] = t;
                  }
                  return Arrays.copyOf(latencies, n);
                }));
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] all =
        futures.stream()
            .map(
                f -> {
                  try {
                    return f.get();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                })
            .flatMapToLong(Arrays::stream)
            .sorted()
            .toArray();
    if (report) {
      System.out.printf(
          Locale.ROOT,
          "requests %d in %.1f s: %.0f req/s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
          all.length,
          elapsed,
          all.length / elapsed,
          all[all.length / 2] / 1e6,
          all[(int) (all.length * 0.90)] / 1e6,
          all[(int) (all.length * 0.99)] / 1e6,
          all[all.length - 1] / 1e6);
    }
  }
}
