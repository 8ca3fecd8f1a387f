package dev.deepresearcher.core.cache;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Run in a child JVM by {@link DiskCacheTest}: writes entries until it is killed. */
public final class CacheWriterChild {
  private CacheWriterChild() {}

  static byte[] valueFor(String key) {
    return (key + "|").repeat(200).getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) {
    try (DiskCache cache = DiskCache.open(Path.of(args[0]), Long.MAX_VALUE)) {
      for (int i = 0; ; i++) {
        String key = "key-" + i;
        cache.put("crash", key, valueFor(key), null);
      }
    }
  }
}
