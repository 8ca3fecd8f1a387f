/**
 * A persistent key-value cache in one SQLite file, shared by runs, restarts and processes: search
 * results, fetched pages and judge verdicts. Values expire after their time to live; the total size
 * is bounded, least recently used first out; a crash mid-write leaves a usable cache (SQLite's
 * write-ahead log).
 *
 * <pre>{@code
 * try (DiskCache cache = DiskCache.open(Path.of("cache.db"), 1L << 30)) {
 *   cache.put("judge", key, bytes, null);        // no expiry
 *   Optional<byte[]> hit = cache.get("judge", key);
 * }
 * }</pre>
 */
package dev.deepresearcher.core.cache;
