package dev.deepresearcher.browse.internal;

/**
 * A page's readable text.
 *
 * @param url where the text finally came from (after redirects)
 * @param kind {@code html}, {@code text} or {@code pdf}
 * @param title the document title, or empty
 * @param text the readable text, paragraphs separated by blank lines
 * @param truncated whether the body was cut at the size cap
 */
public record FetchedPage(String url, String kind, String title, String text, boolean truncated) {}
