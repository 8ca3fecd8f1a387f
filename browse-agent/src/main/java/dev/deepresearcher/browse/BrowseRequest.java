package dev.deepresearcher.browse;

import java.util.List;
import java.util.Objects;

/**
 * What one trajectory asks to read. The agent keeps no state: the request says everything.
 *
 * @param question the question the trajectory is answering
 * @param subQuestion the search query that found these URLs (what the reader looks for)
 * @param urls the pages to read
 * @param allowedUrls the URLs this trajectory may read: its last search's results; others are
 *     refused with an explanation, as in the paper
 * @param seen ids of extracts already returned to this trajectory; they are not returned again
 */
public record BrowseRequest(
    String question,
    String subQuestion,
    List<String> urls,
    List<String> allowedUrls,
    List<String> seen) {
  public BrowseRequest {
    Objects.requireNonNull(question, "question");
    subQuestion = subQuestion == null ? "" : subQuestion;
    urls = List.copyOf(urls);
    allowedUrls = List.copyOf(allowedUrls);
    seen = seen == null ? List.of() : List.copyOf(seen);
  }
}
