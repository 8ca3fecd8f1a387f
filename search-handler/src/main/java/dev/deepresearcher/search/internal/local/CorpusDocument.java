package dev.deepresearcher.search.internal.local;

import java.util.Objects;

/**
 * One passage of a local corpus.
 *
 * @param id unique within the corpus; the {@code /doc/{id}} path
 * @param title the title
 * @param text the passage
 * @param url the original URL, or {@code null} when the handler serves the passage itself
 */
public record CorpusDocument(String id, String title, String text, String url) {
  public CorpusDocument {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(text, "text");
  }
}
