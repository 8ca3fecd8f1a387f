package dev.deepresearcher.rollout;

import dev.deepresearcher.browse.BrowseRequest;
import dev.deepresearcher.browse.PageResult;
import dev.deepresearcher.search.HandlerClient;
import dev.deepresearcher.search.SearchResult;
import java.util.List;

/**
 * The tools as the agent loop calls them: the search handler's {@code /search} and {@code /browse}.
 * Both may throw (a handler that is down); the loop turns that into a {@code tool_error} ending.
 */
public interface Tools {
  /** One result per query, in order. */
  List<SearchResult> search(List<String> queries, int topK);

  /** One result per URL of the request, in order. */
  List<PageResult> browse(BrowseRequest request);

  /** The tools behind a search handler client. */
  static Tools of(HandlerClient client) {
    return new Tools() {
      @Override
      public List<SearchResult> search(List<String> queries, int topK) {
        return client.search(queries, topK);
      }

      @Override
      public List<PageResult> browse(BrowseRequest request) {
        return client.browse(request);
      }
    };
  }
}
