package dev.deepresearcher.policy.factory.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The incremental merge loop against the textbook one that recounts every pair per merge. */
class BpeTrainerTest {
  /** The textbook loop: count all pairs, merge the most frequent (ties: smaller ids), repeat. */
  static List<String> naiveMerges(Map<String, Long> words, int maxTokens, int minFrequency) {
    List<String> tokens = new ArrayList<>();
    char[] alphabet = new char[256];
    for (int b = 0; b < 256; b++) {
      alphabet[b] = ByteLevel.charOf(b);
    }
    Arrays.sort(alphabet);
    Map<String, Integer> ids = new HashMap<>();
    for (char c : alphabet) {
      ids.put(String.valueOf(c), tokens.size());
      tokens.add(String.valueOf(c));
    }
    List<List<Integer>> split = new ArrayList<>();
    List<Long> freqs = new ArrayList<>();
    for (Map.Entry<String, Long> e : words.entrySet()) {
      List<Integer> s = new ArrayList<>();
      for (char c : e.getKey().toCharArray()) {
        s.add(ids.get(String.valueOf(c)));
      }
      split.add(s);
      freqs.add(e.getValue());
    }
    List<String> merges = new ArrayList<>();
    while (tokens.size() < maxTokens) {
      Map<List<Integer>, Long> counts = new HashMap<>();
      for (int w = 0; w < split.size(); w++) {
        List<Integer> s = split.get(w);
        for (int i = 0; i + 1 < s.size(); i++) {
          counts.merge(List.of(s.get(i), s.get(i + 1)), freqs.get(w), Long::sum);
        }
      }
      List<Integer> best = null;
      long bestCount = 0;
      for (Map.Entry<List<Integer>, Long> e : counts.entrySet()) {
        List<Integer> p = e.getKey();
        long c = e.getValue();
        if (c > bestCount
            || c == bestCount
                && (p.get(0) < best.get(0)
                    || p.get(0).equals(best.get(0)) && p.get(1) < best.get(1))) {
          best = p;
          bestCount = c;
        }
      }
      if (best == null || bestCount < minFrequency) {
        break;
      }
      String merged = tokens.get(best.get(0)) + tokens.get(best.get(1));
      merges.add(tokens.get(best.get(0)) + " " + tokens.get(best.get(1)));
      Integer id = ids.get(merged);
      if (id == null) {
        id = tokens.size();
        ids.put(merged, id);
        tokens.add(merged);
      }
      for (List<Integer> s : split) {
        for (int i = 0; i + 1 < s.size(); i++) {
          if (s.get(i).equals(best.get(0)) && s.get(i + 1).equals(best.get(1))) {
            s.set(i, id);
            s.remove(i + 1);
          }
        }
      }
    }
    return merges;
  }

  @Test
  void incrementalMergesEqualTheTextbookLoopOnRepetitiveWords() {
    Random random = new Random(3);
    for (int round = 0; round < 5; round++) {
      Map<String, Long> words = new HashMap<>();
      for (int i = 0; i < 300; i++) {
        StringBuilder w = new StringBuilder();
        int length = 1 + random.nextInt(9);
        for (int j = 0; j < length; j++) {
          // Three letters only, so runs like "aaaa" and "abab" (overlapping pairs) are common.
          w.append("abĠ".charAt(random.nextInt(3)));
        }
        words.merge(w.toString(), 1L + random.nextInt(4), Long::sum);
      }
      for (int minFrequency : new int[] {1, 3}) {
        List<String> got = new ArrayList<>();
        for (String[] m : BpeTrainer.train(words, 400, minFrequency).merges()) {
          got.add(m[0] + " " + m[1]);
        }
        assertEquals(naiveMerges(words, 400, minFrequency), got, "round " + round);
      }
    }
  }
}
