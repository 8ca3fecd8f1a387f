package dev.deepresearcher.search.internal;

import dev.deepresearcher.search.BackendException;
import dev.deepresearcher.search.SearchHit;
import dev.deepresearcher.search.SearchResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Answers a batch of queries: each query in parallel on a virtual thread, from the cache when it
 * can, else from the backend pool; identical queries in flight at the same time share one backend
 * call. Every query gets a result or an error of its own; one failing query never fails the batch.
 */
public final class SearchService implements AutoCloseable {
  /** Longest query accepted, in characters. */
  public static final int MAX_QUERY_CHARS = 2000;

  private final BackendPool pool;
  private final QueryCache cache;
  private final HandlerMetrics metrics;
  private final ConcurrentHashMap<String, CompletableFuture<List<SearchHit>>> inFlight =
      new ConcurrentHashMap<>();

  SearchService(BackendPool pool, QueryCache cache, HandlerMetrics metrics) {
    this.pool = pool;
    this.cache = cache;
    this.metrics = metrics;
  }

  /** The backend's name. */
  public String backendName() {
    return pool.name();
  }

  /** Results in the order of {@code queries}; each entry a string, or anything else (an error). */
  public List<SearchResult> search(List<Object> queries, int topK) {
    metrics.queries(queries.size());
    List<SearchResult> results = new ArrayList<>(queries.size());
    if (queries.size() == 1) {
      results.add(one(queries.get(0), topK));
      return results;
    }
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<SearchResult>> futures = new ArrayList<>(queries.size());
      for (Object q : queries) {
        futures.add(exec.submit(() -> one(q, topK)));
      }
      for (int i = 0; i < futures.size(); i++) {
        try {
          results.add(futures.get(i).get());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          results.add(SearchResult.failed(String.valueOf(queries.get(i)), "interrupted"));
        } catch (ExecutionException e) {
          results.add(
              SearchResult.failed(
                  String.valueOf(queries.get(i)), "internal error: " + e.getCause()));
        }
      }
    }
    return results;
  }

  private SearchResult one(Object raw, int topK) {
    if (!(raw instanceof String query)) {
      return SearchResult.failed(String.valueOf(raw), "a query must be a string");
    }
    String normalized = QueryCache.normalize(query);
    if (normalized.isEmpty()) {
      return SearchResult.failed(query, "empty query: write what to search for");
    }
    if (query.length() > MAX_QUERY_CHARS) {
      return SearchResult.failed(
          query.substring(0, 80) + "…",
          "query too long (" + query.length() + " characters; at most " + MAX_QUERY_CHARS + ")");
    }
    String key = cache.key(normalized, topK);
    Optional<List<SearchHit>> hit = cache.get(key);
    if (hit.isPresent()) {
      metrics.cacheHit();
      return SearchResult.of(query, hit.get());
    }
    metrics.cacheMiss();
    CompletableFuture<List<SearchHit>> mine = new CompletableFuture<>();
    CompletableFuture<List<SearchHit>> theirs = inFlight.putIfAbsent(key, mine);
    if (theirs != null) {
      metrics.coalesced();
      return await(query, theirs);
    }
    try {
      List<SearchHit> hits = pool.search(query.strip(), topK);
      cache.put(key, hits);
      mine.complete(hits);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      mine.completeExceptionally(e);
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
    } finally {
      inFlight.remove(key, mine);
    }
    return await(query, mine);
  }

  private static SearchResult await(String query, CompletableFuture<List<SearchHit>> future) {
    try {
      return SearchResult.of(query, future.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SearchResult.failed(query, "interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String message =
          cause instanceof BackendException be
              ? "search failed: " + be.getMessage()
              : "search failed: " + cause;
      return SearchResult.failed(query, message);
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
