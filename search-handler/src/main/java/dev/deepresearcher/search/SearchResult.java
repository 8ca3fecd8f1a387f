package dev.deepresearcher.search;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one query of a batch: hits, or an error that says why there are none.
 *
 * @param query the query as sent
 * @param hits the results, best first; empty on error
 * @param error {@code null} on success, else a message for the policy and the logs
 */
public record SearchResult(String query, List<SearchHit> hits, String error) {
  public SearchResult {
    Objects.requireNonNull(query, "query");
    hits = List.copyOf(hits);
  }

  /** A successful result. */
  public static SearchResult of(String query, List<SearchHit> hits) {
    return new SearchResult(query, hits, null);
  }

  /** A failed query. */
  public static SearchResult failed(String query, String error) {
    return new SearchResult(query, List.of(), Objects.requireNonNull(error, "error"));
  }

  /** True when the query succeeded (possibly with no hits). */
  public boolean ok() {
    return error == null;
  }
}
