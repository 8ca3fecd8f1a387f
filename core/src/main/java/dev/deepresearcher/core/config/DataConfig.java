package dev.deepresearcher.core.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Question sets ({@code data.*}): parquet files in DeepResearcher's verl layout, or JSON lines.
 *
 * @param trainFiles training questions
 * @param valFiles validation and evaluation questions
 */
public record DataConfig(List<Path> trainFiles, List<Path> valFiles) {
  public DataConfig {
    trainFiles = List.copyOf(trainFiles);
    valFiles = List.copyOf(valFiles);
  }
}
