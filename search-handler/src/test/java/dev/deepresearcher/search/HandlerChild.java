package dev.deepresearcher.search;

import dev.deepresearcher.core.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Run in a child JVM by {@link CacheCrashTest}: a handler whose backend answers every query with
 * three hits naming it, on the cache file {@code args[0]}; writes its URL to {@code args[1]} and
 * serves until killed.
 */
public final class HandlerChild {
  private HandlerChild() {}

  static List<SearchHit> hitsFor(String query) {
    return List.of(
        new SearchHit(query + " 1", "https://example.org/1", "first result for " + query),
        new SearchHit(query + " 2", "https://example.org/2", "second result for " + query),
        new SearchHit(query + " 3", "https://example.org/3", "x".repeat(500)));
  }

  public static void main(String[] args) throws Exception {
    SearchBackend backend =
        new SearchBackend() {
          @Override
          public String name() {
            return "child";
          }

          @Override
          public List<SearchHit> search(String query, int topK) {
            return hitsFor(query);
          }
        };
    var config =
        ConfigLoader.load(
            null,
            List.of(
                "cache.path=" + args[0],
                "search.requests_per_second=100000",
                "search.max_in_flight=64"));
    SearchHandler handler = SearchHandler.startEmbedded(config, Map.of(), backend);
    Path tmp = Path.of(args[1] + ".tmp");
    Files.writeString(tmp, handler.url().toString());
    Files.move(tmp, Path.of(args[1]));
    Thread.sleep(Long.MAX_VALUE);
  }
}
