package dev.deepresearcher.core.config;

/** The web search backends the search handler can use. */
public enum SearchBackendName implements ConfigEnum {
  /** Google results through serper.dev (paid API key). */
  SERPER,
  /** The Brave Search API (paid API key). */
  BRAVE,
  /** A self-hosted SearXNG metasearch instance. */
  SEARXNG,
  /** A local Lucene BM25 index over a JSON-lines corpus: offline, the default. */
  LOCAL
}
