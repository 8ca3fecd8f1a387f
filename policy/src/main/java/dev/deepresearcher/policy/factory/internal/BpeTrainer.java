package dev.deepresearcher.policy.factory.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The classic byte-level BPE merge loop (as Hugging Face's {@code BpeTrainer} runs it), made
 * incremental: pair counts are kept up to date from the words a merge touches, found through a pair
 * → words index, and the most frequent pair comes from a heap whose stale entries are re-queued
 * lazily. A merge therefore costs the size of the words that hold its pair, not a recount of the
 * corpus.
 *
 * <p>Every word is a pre-tokenized piece in byte characters ({@link ByteLevel}). The first 256
 * tokens are the byte characters in character order (so every text can be encoded); merges follow
 * until the vocabulary is full or no pair occurs {@code minFrequency} times any more. Ties go to
 * the pair of smaller ids, so the same words always give the same tokens.
 */
public final class BpeTrainer {
  /**
   * What training made.
   *
   * @param tokens the BPE vocabulary, by id
   * @param merges the merges in rank order, each two tokens
   * @param distinctWords distinct pieces in the training text
   * @param frequentWords pieces occurring at least {@code minFrequency} times
   * @param splitWords of those, the pieces that did not become one token (the vocabulary was full)
   */
  public record Result(
      List<String> tokens,
      List<String[]> merges,
      int distinctWords,
      int frequentWords,
      int splitWords) {
    public Result {
      tokens = List.copyOf(tokens);
      merges = List.copyOf(merges);
    }
  }

  /** A pair's current count and the words that held it when it was counted (may be stale). */
  private static final class PairStat {
    long count;
    int[] words = new int[4];
    int size;

    void addWord(int w) {
      if (size == words.length) {
        words = Arrays.copyOf(words, size * 2);
      }
      words[size++] = w;
    }
  }

  /** A heap entry: a pair and its count when queued. */
  private record Candidate(long count, int a, int b) {}

  private final List<String> tokens = new ArrayList<>();
  private final Map<String, Integer> ids = new HashMap<>();
  private final Map<Long, PairStat> pairs = new HashMap<>();
  private final PriorityQueue<Candidate> heap =
      new PriorityQueue<>(
          (x, y) -> {
            int c = Long.compare(y.count, x.count);
            if (c != 0) {
              return c;
            }
            c = Integer.compare(x.a, y.a);
            return c != 0 ? c : Integer.compare(x.b, y.b);
          });
  private int[][] symbols;
  private int[] lengths;
  private long[] freqs;
  private int[] visited;

  private BpeTrainer() {}

  /**
   * Trains on {@code wordCounts} (piece in byte characters → occurrences).
   *
   * @param maxTokens the most BPE tokens, the 256 byte tokens included (at least 256)
   * @param minFrequency the least count a pair needs to be merged (at least 1)
   */
  public static Result train(Map<String, Long> wordCounts, int maxTokens, int minFrequency) {
    if (maxTokens < 256 || minFrequency < 1) {
      throw new IllegalArgumentException(
          "maxTokens " + maxTokens + " < 256 or minFrequency " + minFrequency + " < 1");
    }
    return new BpeTrainer().run(wordCounts, maxTokens, minFrequency);
  }

  private Result run(Map<String, Long> wordCounts, int maxTokens, int minFrequency) {
    char[] alphabet = new char[256];
    for (int b = 0; b < 256; b++) {
      alphabet[b] = ByteLevel.charOf(b);
    }
    Arrays.sort(alphabet);
    for (char c : alphabet) {
      addToken(String.valueOf(c));
    }
    // Sorted words: the order fixes nothing in the result, but keeps runs reproducible to the byte.
    String[] words = wordCounts.keySet().toArray(new String[0]);
    Arrays.sort(words);
    symbols = new int[words.length][];
    lengths = new int[words.length];
    freqs = new long[words.length];
    visited = new int[words.length];
    for (int w = 0; w < words.length; w++) {
      String word = words[w];
      int[] s = new int[word.length()];
      for (int i = 0; i < s.length; i++) {
        s[i] = ids.get(String.valueOf(word.charAt(i)));
      }
      symbols[w] = s;
      lengths[w] = s.length;
      freqs[w] = wordCounts.get(word);
      for (int i = 0; i + 1 < s.length; i++) {
        PairStat p = stat(s[i], s[i + 1]);
        p.count += freqs[w];
        if (p.size == 0 || p.words[p.size - 1] != w) {
          p.addWord(w);
        }
      }
    }
    for (Map.Entry<Long, PairStat> e : pairs.entrySet()) {
      queue(e.getKey(), e.getValue(), minFrequency);
    }
    List<String[]> merges = new ArrayList<>();
    Set<Long> touched = new HashSet<>();
    while (tokens.size() < maxTokens && !heap.isEmpty()) {
      Candidate top = heap.poll();
      long key = key(top.a, top.b);
      PairStat stat = pairs.get(key);
      if (top.count != stat.count) { // stale: re-queue with the current count
        queue(key, stat, minFrequency);
        continue;
      }
      if (top.count < minFrequency) {
        break;
      }
      String left = tokens.get(top.a);
      String right = tokens.get(top.b);
      String merged = left + right;
      // Two merge paths can spell the same token ("a"+"bc", "ab"+"c"): it keeps its first id.
      Integer existing = ids.get(merged);
      int id = existing != null ? existing : addToken(merged);
      merges.add(new String[] {left, right});
      touched.clear();
      int mergeNo = merges.size();
      int[] holders = Arrays.copyOf(stat.words, stat.size);
      stat.count = 0;
      stat.size = 0;
      stat.words = new int[4];
      for (int w : holders) {
        if (visited[w] != mergeNo) {
          visited[w] = mergeNo;
          merge(w, top.a, top.b, id, touched);
        }
      }
      stat.count = 0; // the merged pair's own decrements are not tracked; it is gone
      for (long t : touched) {
        if (t != key) {
          queue(t, pairs.get(t), minFrequency);
        }
      }
    }
    int frequent = 0;
    int split = 0;
    for (int w = 0; w < words.length; w++) {
      if (freqs[w] >= minFrequency) {
        frequent++;
        split += lengths[w] > 1 ? 1 : 0;
      }
    }
    return new Result(tokens, merges, words.length, frequent, split);
  }

  /**
   * Replaces every {@code (a, b)} in word {@code w} by {@code id}, left to right, and moves the
   * counts of the neighbouring pairs: {@code (prev, a)} and {@code (b, next)} lose one occurrence,
   * {@code (prev, id)} and {@code (id, next)} gain one.
   */
  private void merge(int w, int a, int b, int id, Set<Long> touched) {
    int[] s = symbols[w];
    int n = lengths[w];
    long f = freqs[w];
    int out = 0;
    for (int i = 0; i < n; i++) {
      if (i + 1 < n && s[i] == a && s[i + 1] == b) {
        if (out > 0) {
          change(s[out - 1], a, -f, w, touched);
          change(s[out - 1], id, f, w, touched);
        }
        if (i + 2 < n) {
          change(b, s[i + 2], -f, w, touched);
          change(id, s[i + 2], f, w, touched);
        }
        s[out++] = id;
        i++;
      } else {
        s[out++] = s[i];
      }
    }
    lengths[w] = out;
  }

  private void change(int x, int y, long delta, int w, Set<Long> touched) {
    PairStat p = stat(x, y);
    p.count += delta;
    if (delta > 0) {
      p.addWord(w);
      touched.add(key(x, y));
    }
  }

  private void queue(long key, PairStat p, int minFrequency) {
    if (p.count >= minFrequency) {
      heap.add(new Candidate(p.count, (int) (key >>> 32), (int) key));
    }
  }

  private PairStat stat(int a, int b) {
    return pairs.computeIfAbsent(key(a, b), k -> new PairStat());
  }

  private static long key(int a, int b) {
    return ((long) a << 32) | (b & 0xFFFFFFFFL);
  }

  private int addToken(String token) {
    int id = tokens.size();
    tokens.add(token);
    ids.put(token, id);
    return id;
  }
}
