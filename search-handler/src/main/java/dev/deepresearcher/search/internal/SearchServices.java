package dev.deepresearcher.search.internal;

import dev.deepresearcher.core.cache.DiskCache;
import dev.deepresearcher.core.config.SearchConfig;
import dev.deepresearcher.search.SearchBackend;
import java.util.random.RandomGenerator;

/** Assembles a {@link SearchService}: the backend behind its pool, the cache in front. */
public final class SearchServices {
  private SearchServices() {}

  public static SearchService create(
      SearchBackend backend,
      SearchConfig config,
      String backendIdentity,
      DiskCache cache,
      HandlerMetrics metrics) {
    BackendPool pool =
        new BackendPool(
            backend,
            config,
            metrics,
            System::nanoTime,
            nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)),
            RandomGenerator.of("L64X128MixRandom"));
    return new SearchService(
        pool, new QueryCache(cache, backendIdentity, config.cacheTtl()), metrics);
  }
}
