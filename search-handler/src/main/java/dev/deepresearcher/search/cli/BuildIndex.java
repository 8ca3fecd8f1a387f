package dev.deepresearcher.search.cli;

import dev.deepresearcher.core.cli.Cli;
import dev.deepresearcher.core.cli.ProgressBar;
import dev.deepresearcher.search.internal.local.LuceneIndexes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code scripts/build-index}: a Lucene index for the local backend from a JSON-lines corpus. */
@Command(
    name = "build-index",
    mixinStandardHelpOptions = true,
    description = {
      "Builds the local backend's Lucene index from JSON lines {id, title, text, url?}.",
      "The index is written next to the target and moved into place when complete.",
      "Example: scripts/build-index --corpus data/hotpotqa-100/corpus.jsonl --index ~/.cache/deepresearcher/index/hotpotqa-100"
    })
public final class BuildIndex implements Callable<Integer> {
  @Option(names = "--corpus", required = true, paramLabel = "JSONL", description = "The corpus.")
  Path corpus;

  @Option(
      names = "--index",
      paramLabel = "DIR",
      description =
          "The index folder (default: ~/.cache/deepresearcher/index/default, search.local.index's default).")
  Path index =
      Path.of(System.getProperty("user.home"), ".cache", "deepresearcher", "index", "default");

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Indexing threads (default: all cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  public static void main(String[] args) {
    System.exit(Cli.run(new BuildIndex(), args));
  }

  @Override
  public Integer call() throws IOException {
    if (!Files.exists(corpus)) {
      throw new NoSuchFileException(corpus.toString());
    }
    long lines;
    try (Stream<String> stream = Files.lines(corpus)) {
      lines = stream.filter(l -> !l.isBlank()).count();
    }
    LuceneIndexes.BuildStats stats;
    try (ProgressBar bar = ProgressBar.start("indexing", lines)) {
      stats = LuceneIndexes.build(corpus, index, threads, bar);
    }
    System.err.printf(
        Locale.ROOT,
        "indexed %d documents in %.1f s (%.0f docs/s) into %s%n",
        stats.documents(),
        stats.seconds(),
        stats.documentsPerSecond(),
        index);
    return 0;
  }
}
