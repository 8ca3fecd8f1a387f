package dev.deepresearcher.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The persistent cache shared by runs and restarts ({@code cache.*}): search results, fetched pages
 * and judge verdicts live in one SQLite file.
 *
 * @param path the SQLite database file; its folder is created when missing
 * @param maxBytes size bound of the stored values; least recently used entries go first
 */
public record CacheConfig(Path path, @Range(min = 1) long maxBytes) {
  public CacheConfig {
    Objects.requireNonNull(path, "path");
  }
}
