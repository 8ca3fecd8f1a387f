package dev.deepresearcher.search.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.search.internal.local.LocalBackend;
import dev.deepresearcher.search.internal.local.LuceneIndexes;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The local backend at scale: a generated corpus of {@code n} passages (60–120 words drawn from a
 * Zipf-distributed 50,000-word vocabulary, like natural text), indexed with the project's indexer,
 * then 256 eight-word queries answered one after the other and on two threads.
 *
 * <pre>
 * scripts/bench search-handler --main dev.deepresearcher.search.bench.LuceneBench [n] [threads]
 * </pre>
 */
public final class LuceneBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LuceneBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int threads =
        args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
    Path dir = Files.createTempDirectory("lucene-bench");
    try {
      Path corpus = dir.resolve("corpus.jsonl");
      String[] vocabulary = vocabulary(50_000, new SplittableRandom(1));
      double[] zipf = zipfCdf(vocabulary.length, 1.07);
      long t0 = System.nanoTime();
      SplittableRandom random = new SplittableRandom(2);
      try (BufferedWriter w = Files.newBufferedWriter(corpus, StandardCharsets.UTF_8)) {
        for (int i = 0; i < n; i++) {
          Map<String, String> doc = new LinkedHashMap<>();
          doc.put("id", "p" + i);
          doc.put("title", sentence(vocabulary, zipf, random, 2 + random.nextInt(4)));
          doc.put("text", sentence(vocabulary, zipf, random, 60 + random.nextInt(61)));
          w.write(JSON.writeValueAsString(doc));
          w.write('\n');
        }
      }
      System.out.printf(
          Locale.ROOT,
          "generated %d passages (%.0f MB) in %.1f s%n",
          n,
          Files.size(corpus) / 1e6,
          (System.nanoTime() - t0) / 1e9);

      Path index = dir.resolve("index");
      LuceneIndexes.BuildStats stats = LuceneIndexes.build(corpus, index, threads, null);
      System.out.printf(
          Locale.ROOT,
          "indexed %d passages in %.1f s with %d threads: %.0f docs/s%n",
          stats.documents(),
          stats.seconds(),
          threads,
          stats.documentsPerSecond());
      Files.delete(corpus);

      List<String> queries = new ArrayList<>();
      SplittableRandom qr = new SplittableRandom(3);
      for (int q = 0; q < 256; q++) {
        queries.add(sentence(vocabulary, zipf, qr, 8));
      }
      try (LocalBackend backend = new LocalBackend(index, () -> "http://127.0.0.1:1")) {
        for (String q : queries.subList(0, 32)) {
          backend.search(q, 10); // warm caches and JIT
        }
        for (int round = 0; round < 5; round++) {
          long s = System.nanoTime();
          for (String q : queries) {
            backend.search(q, 10);
          }
          double sequential = (System.nanoTime() - s) / 1e9;
          s = System.nanoTime();
          try (ExecutorService exec = Executors.newFixedThreadPool(2)) {
            List<Future<?>> fs = new ArrayList<>();
            for (String q : queries) {
              fs.add(exec.submit(() -> backend.search(q, 10)));
            }
            for (Future<?> f : fs) {
              f.get();
            }
          }
          double parallel = (System.nanoTime() - s) / 1e9;
          System.out.printf(
              Locale.ROOT,
              "round %d: 256 queries in %.3f s sequentially, %.3f s on 2 threads%n",
              round,
              sequential,
              parallel);
        }
      }
    } finally {
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static String[] vocabulary(int size, SplittableRandom random) {
    String[] words = new String[size];
    String letters = "abcdefghijklmnopqrstuvwxyz";
    for (int i = 0; i < size; i++) {
      int len = 3 + random.nextInt(8);
      char[] c = new char[len];
      for (int k = 0; k < len; k++) {
        c[k] = letters.charAt(random.nextInt(26));
      }
      words[i] = new String(c);
    }
    return words;
  }

  private static double[] zipfCdf(int n, double s) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1 / Math.pow(i + 1, s);
      cdf[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= sum;
    }
    return cdf;
  }

  private static String sentence(
      String[] vocabulary, double[] cdf, SplittableRandom random, int words) {
    StringBuilder sb = new StringBuilder(words * 8);
    for (int i = 0; i < words; i++) {
      int idx = Arrays.binarySearch(cdf, random.nextDouble());
      idx = idx < 0 ? -idx - 1 : idx;
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(vocabulary[Math.min(idx, vocabulary.length - 1)]);
    }
    return sb.toString();
  }
}
