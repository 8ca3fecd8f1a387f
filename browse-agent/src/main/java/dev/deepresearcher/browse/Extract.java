package dev.deepresearcher.browse;

import java.util.Objects;

/**
 * What the reader took from one page of a document.
 *
 * @param pageNumber the page, from 1
 * @param information the extracted text, relevant to the question or the search
 * @param id a short fingerprint of url, page and text; send it back in {@link BrowseRequest#seen}
 *     so the same extract is not returned twice to one trajectory
 */
public record Extract(int pageNumber, String information, String id) {
  public Extract {
    Objects.requireNonNull(information, "information");
    Objects.requireNonNull(id, "id");
    if (pageNumber < 1) {
      throw new IllegalArgumentException("pageNumber starts at 1, got " + pageNumber);
    }
  }
}
