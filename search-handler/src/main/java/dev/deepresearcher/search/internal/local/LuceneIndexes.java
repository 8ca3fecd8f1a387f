package dev.deepresearcher.search.internal.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.cli.ProgressBar;
import dev.deepresearcher.search.SearchException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;

/**
 * Builds Lucene indexes from JSON-lines corpora ({@code {id, title, text, url?}} per line) and
 * checks that a folder holds one. A build writes to a temporary folder next to the target and
 * renames it into place, so a crash never leaves a half-built index where the handler looks.
 */
public final class LuceneIndexes {
  static final String ID = "id";
  static final String TITLE = "title";
  static final String TEXT = "text";
  static final String URL = "url";

  /** Title and text together, indexed only: what queries match. */
  static final String ALL = "all";

  static final String FORMAT_KEY = "deepresearcher.format";

  /** Bumped whenever the fields change; an index of another format must be rebuilt. */
  static final String FORMAT = "3";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Document POISON = new Document();

  /**
   * Lucene logs a warning on every start unless the JVM runs with the incubating Vector API. We
   * measured 5–10% faster queries with it on 1M passages (docs/search-handler.md): not worth an
   * incubator module and its own start-up warning, so the hint is silenced. Held in a field: JUL
   * keeps loggers weakly.
   */
  private static final java.util.logging.Logger VECTOR_LOG =
      java.util.logging.Logger.getLogger(
          "org.apache.lucene.internal.vectorization.VectorizationProvider");

  static {
    VECTOR_LOG.setLevel(java.util.logging.Level.SEVERE);
  }

  private LuceneIndexes() {}

  /** The analyzer of both indexing and querying: English stemming and stop words. */
  public static Analyzer analyzer() {
    return new EnglishAnalyzer();
  }

  /** What a build did. */
  public record BuildStats(long documents, double seconds) {
    public double documentsPerSecond() {
      return seconds == 0 ? documents : documents / seconds;
    }
  }

  /** What a folder holds. */
  public enum Status {
    /** No index. */
    MISSING,
    /** An index of another format (an older version of this project, or not ours): rebuild it. */
    OTHER_FORMAT,
    /** An index {@link #build} made. */
    READY
  }

  /** What {@code dir} holds. */
  public static Status status(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Status.MISSING;
    }
    try (FSDirectory d = FSDirectory.open(dir)) {
      if (!DirectoryReader.indexExists(d)) {
        return Status.MISSING;
      }
      Map<String, String> data = SegmentInfos.readLatestCommit(d).getUserData();
      return FORMAT.equals(data.get(FORMAT_KEY)) ? Status.READY : Status.OTHER_FORMAT;
    } catch (IOException e) {
      return Status.OTHER_FORMAT;
    }
  }

  /**
   * Indexes {@code corpus} into {@code target}, replacing what is there.
   *
   * @param threads indexing threads
   * @param progress advanced once per document, or {@code null}
   * @throws SearchException for a malformed corpus line (naming the line), or a duplicate id
   */
  public static BuildStats build(Path corpus, Path target, int threads, ProgressBar progress)
      throws IOException {
    long start = System.nanoTime();
    Path absolute = target.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path tmp =
        Files.createTempDirectory(
            absolute.getParent(), "." + absolute.getFileName() + ".building-");
    long count;
    try {
      count = write(corpus, tmp, Math.max(1, threads), progress);
      replace(tmp, absolute);
    } finally {
      deleteTree(tmp);
    }
    return new BuildStats(count, (System.nanoTime() - start) / 1e9);
  }

  private static long write(Path corpus, Path dir, int threads, ProgressBar progress)
      throws IOException {
    IndexWriterConfig config = new IndexWriterConfig(analyzer());
    config.setRAMBufferSizeMB(256);
    config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    config.setCommitOnClose(false);
    try (FSDirectory directory = FSDirectory.open(dir);
        IndexWriter writer = new IndexWriter(directory, config)) {
      BlockingQueue<Document> queue = new ArrayBlockingQueue<>(4096);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            Thread.ofPlatform()
                .name("index-" + t)
                .start(
                    () -> {
                      // Keep draining after a failure, so the reader never blocks on a full queue.
                      for (Document doc = takeUninterruptibly(queue);
                          doc != POISON;
                          doc = takeUninterruptibly(queue)) {
                        if (failure.get() != null) {
                          continue;
                        }
                        try {
                          writer.addDocument(doc);
                          if (progress != null) {
                            progress.step();
                          }
                        } catch (Throwable e) {
                          failure.compareAndSet(null, e);
                        }
                      }
                    }));
      }
      long count = 0;
      try {
        count = readCorpus(corpus, queue, failure);
      } finally {
        for (int t = 0; t < threads; t++) {
          putUninterruptibly(queue, POISON);
        }
        for (Thread w : workers) {
          joinUninterruptibly(w);
        }
      }
      if (failure.get() != null) {
        throw new IOException("indexing failed: " + failure.get(), failure.get());
      }
      writer.setLiveCommitData(
          Map.of(FORMAT_KEY, FORMAT, "documents", Long.toString(count)).entrySet());
      writer.forceMerge(1);
      writer.commit();
      return count;
    }
  }

  private static long readCorpus(
      Path corpus, BlockingQueue<Document> queue, AtomicReference<Throwable> failure)
      throws IOException {
    Set<String> ids = new HashSet<>();
    long count = 0;
    try (BufferedReader reader = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
      String line;
      long number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        if (failure.get() != null) {
          break;
        }
        CorpusDocument doc = parse(line, corpus + ":" + number);
        if (!ids.add(doc.id())) {
          throw new SearchException(
              corpus + ":" + number + ": duplicate id '" + doc.id() + "'; ids must be unique");
        }
        putUninterruptibly(queue, toLucene(doc));
        count++;
      }
    }
    if (count == 0) {
      throw new SearchException(
          corpus + " holds no documents; expected JSON lines {id, title, text, url?}");
    }
    return count;
  }

  /** One corpus line. */
  static CorpusDocument parse(String line, String where) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new SearchException(where + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
    }
    if (node == null || !node.isObject()) {
      throw new SearchException(
          where + ": each line must be a JSON object {id, title, text, url?}");
    }
    String id = field(node, ID, where, true);
    String text = field(node, TEXT, where, true);
    String title = field(node, TITLE, where, false);
    String url = field(node, URL, where, false);
    if (id.isBlank()) {
      throw new SearchException(where + ": 'id' is empty");
    }
    return new CorpusDocument(
        id, title == null ? "" : title, text, url == null || url.isBlank() ? null : url);
  }

  private static String field(JsonNode node, String name, String where, boolean required) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      if (required) {
        throw new SearchException(
            where + ": missing '" + name + "'; each line needs {id, title, text}");
      }
      return null;
    }
    if (!v.isTextual() && !v.isNumber()) {
      throw new SearchException(where + ": '" + name + "' must be a string");
    }
    return v.asText();
  }

  private static Document toLucene(CorpusDocument d) {
    Document doc = new Document();
    doc.add(new StringField(ID, d.id(), Field.Store.YES));
    doc.add(new StoredField(TITLE, d.title()));
    doc.add(new StoredField(TEXT, d.text()));
    doc.add(new TextField(ALL, d.title() + "\n" + d.text(), Field.Store.NO));
    if (d.url() != null) {
      // Indexed too: browsing a corpus URL reads the page from the index (an offline web).
      doc.add(new StringField(URL, d.url(), Field.Store.YES));
    }
    return doc;
  }

  private static void replace(Path built, Path target) throws IOException {
    if (Files.exists(target)) {
      Path old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      Files.move(built, target, StandardCopyOption.ATOMIC_MOVE);
      deleteTree(old);
    } else {
      Files.move(built, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static <T> void putUninterruptibly(BlockingQueue<T> queue, T item) {
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(item);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static <T> T takeUninterruptibly(BlockingQueue<T> queue) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return queue.take();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
