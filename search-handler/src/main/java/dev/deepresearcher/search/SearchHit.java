package dev.deepresearcher.search;

import java.util.Objects;

/**
 * One search result.
 *
 * @param title the page title
 * @param url where the page is; for the local backend, the handler's own {@code /doc/{id}}
 * @param snippet a short excerpt
 */
public record SearchHit(String title, String url, String snippet) {
  public SearchHit {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(snippet, "snippet");
  }
}
