package dev.deepresearcher.browse.internal;

import java.util.List;

/** Reads a document's pages for what is relevant to a question and the search that found it. */
public interface PageReader {
  /** Something relevant found on one page. */
  record Found(int pageNumber, String information) {}

  /**
   * @param pages the document's pages, in order; the reader reads at most {@code maxPages}
   * @return what was found, in page order; empty when nothing was relevant
   */
  List<Found> read(
      String question, String subQuestion, String url, List<String> pages, int maxPages);
}
