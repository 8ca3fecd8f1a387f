package dev.deepresearcher.search.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.cache.DiskCache;
import dev.deepresearcher.search.SearchHit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Search results in the persistent cache, keyed by backend identity, normalised query and top-k.
 * Only successful, non-empty results are stored; an unreadable entry counts as a miss.
 */
final class QueryCache {
  static final String NAMESPACE = "search";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<SearchHit>> HITS = new TypeReference<>() {};

  private final DiskCache cache;
  private final String backendIdentity;
  private final Duration ttl;

  /**
   * @param backendIdentity the backend and the parameters that change its results (e.g. {@code
   *     serper|us|en}), so that changing them does not serve stale entries
   */
  QueryCache(DiskCache cache, String backendIdentity, Duration ttl) {
    this.cache = cache;
    this.backendIdentity = backendIdentity;
    this.ttl = ttl;
  }

  /**
   * NFKC, whitespace collapsed, trimmed, lower-cased: queries that differ only so share an entry.
   */
  static String normalize(String query) {
    String s = Normalizer.normalize(query, Normalizer.Form.NFKC);
    return s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  String key(String normalizedQuery, int topK) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(
          (backendIdentity + "\u0000" + topK + "\u0000" + normalizedQuery)
              .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  Optional<List<SearchHit>> get(String key) {
    Optional<byte[]> bytes = cache.get(NAMESPACE, key);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(bytes.get(), HITS));
    } catch (IOException e) {
      return Optional.empty(); // a damaged entry: fetch again and overwrite it
    }
  }

  void put(String key, List<SearchHit> hits) {
    if (hits.isEmpty()) {
      return;
    }
    try {
      cache.put(NAMESPACE, key, JSON.writeValueAsBytes(hits), ttl);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode search hits", e);
    }
  }
}
