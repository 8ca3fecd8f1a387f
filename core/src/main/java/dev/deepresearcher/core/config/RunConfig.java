package dev.deepresearcher.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of a run as a whole ({@code run.*}).
 *
 * @param seed seed of every random choice the run makes
 * @param outputDir folder under which each run writes its own folder
 */
public record RunConfig(long seed, Path outputDir) {
  public RunConfig {
    Objects.requireNonNull(outputDir, "outputDir");
  }
}
