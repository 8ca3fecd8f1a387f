package dev.deepresearcher.core.data;

import dev.deepresearcher.core.data.internal.JsonlDatasetReader;
import dev.deepresearcher.core.data.internal.ParquetDatasetReader;
import dev.deepresearcher.core.io.TextFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Opens question files by format: {@code .parquet} (verl's layout), {@code .jsonl}/{@code .ndjson}
 * (the same layout, one JSON object per line). Other names are recognised by content.
 *
 * <pre>{@code
 * List<QaExample> dev = Datasets.readAll(Path.of("data/deepresearcher/dev.parquet"));
 * }</pre>
 */
public final class Datasets {
  private static final byte[] PARQUET_MAGIC = {'P', 'A', 'R', '1'};

  private Datasets() {}

  /**
   * Opens {@code file} for streaming.
   *
   * @throws NoSuchFileException when the file does not exist
   * @throws DatasetException when the file is in no known format, or a parquet file lacks a column
   */
  public static DatasetReader open(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such dataset file");
    }
    if (Files.isDirectory(file)) {
      throw new DatasetException(file + " is a folder; give a .parquet or .jsonl file");
    }
    return switch (formatOf(file)) {
      case PARQUET -> new ParquetDatasetReader(file);
      case JSONL -> new JsonlDatasetReader(file);
    };
  }

  /** Every question of {@code file}, in file order. */
  public static List<QaExample> readAll(Path file) throws IOException {
    List<QaExample> all = new ArrayList<>();
    try (DatasetReader reader = open(file)) {
      for (QaExample example : reader) {
        all.add(example);
      }
    }
    return all;
  }

  /** Every question of several files, file after file. */
  public static List<QaExample> readAll(List<Path> files) throws IOException {
    List<QaExample> all = new ArrayList<>();
    for (Path file : files) {
      all.addAll(readAll(file));
    }
    return all;
  }

  enum Format {
    PARQUET,
    JSONL
  }

  static Format formatOf(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".parquet")) {
      return Format.PARQUET;
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return Format.JSONL;
    }
    byte[] head = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, 4);
    }
    if (n == 4 && Arrays.equals(head, PARQUET_MAGIC)) {
      return Format.PARQUET;
    }
    int first = TextFiles.firstSignificantByte(file);
    if (first == '{') {
      return Format.JSONL;
    }
    throw new DatasetException(
        file
            + ": unknown dataset format; expected a .parquet file in verl's layout or JSON lines"
            + " (.jsonl) with data_source, prompt and reward_model.ground_truth");
  }
}
