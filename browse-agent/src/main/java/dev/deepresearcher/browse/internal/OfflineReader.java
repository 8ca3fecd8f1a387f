package dev.deepresearcher.browse.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The reader without a model (the default, and what tests and the offline demo use): the passages
 * that score highest by BM25 against the question and the sub-question, up to a character budget,
 * reported page by page in document order.
 */
public final class OfflineReader implements PageReader {
  private static final int PASSAGE_CHARS = 600;
  private static final double K1 = 1.2;
  private static final double B = 0.75;
  private static final Set<String> STOP =
      Set.of(
          "a", "an", "and", "are", "as", "at", "be", "by", "did", "do", "does", "for", "from",
          "had", "has", "have", "how", "in", "is", "it", "its", "of", "on", "or", "that", "the",
          "this", "to", "was", "were", "what", "when", "where", "which", "who", "whom", "whose",
          "why", "with");

  private final int budget;

  /**
   * @param budget the most characters kept from one document
   */
  public OfflineReader(int budget) {
    this.budget = budget;
  }

  private record Passage(int page, int order, String text, Map<String, Integer> tf, int length) {}

  @Override
  public List<Found> read(
      String question, String subQuestion, String url, List<String> pages, int maxPages) {
    Set<String> query = new HashSet<>(terms(question + " " + subQuestion));
    if (query.isEmpty()) {
      return List.of();
    }
    List<Passage> passages = new ArrayList<>();
    for (int p = 0; p < Math.min(pages.size(), maxPages); p++) {
      for (String text : passages(pages.get(p))) {
        List<String> t = terms(text);
        Map<String, Integer> tf = new HashMap<>();
        t.forEach(w -> tf.merge(w, 1, Integer::sum));
        passages.add(new Passage(p + 1, passages.size(), text, tf, t.size()));
      }
    }
    if (passages.isEmpty()) {
      return List.of();
    }
    double avg = passages.stream().mapToInt(Passage::length).average().orElse(1);
    Map<String, Integer> df = new HashMap<>();
    for (Passage p : passages) {
      for (String w : query) {
        if (p.tf().containsKey(w)) {
          df.merge(w, 1, Integer::sum);
        }
      }
    }
    int n = passages.size();
    Map<Passage, Double> score = new HashMap<>();
    for (Passage p : passages) {
      double s = 0;
      for (String w : query) {
        Integer f = p.tf().get(w);
        if (f == null) {
          continue;
        }
        double idf = Math.log(1 + (n - df.get(w) + 0.5) / (df.get(w) + 0.5));
        s += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * p.length() / avg));
      }
      if (s > 0) {
        score.put(p, s);
      }
    }
    List<Passage> ranked = new ArrayList<>(score.keySet());
    ranked.sort(
        Comparator.comparingDouble((Passage p) -> -score.get(p)).thenComparingInt(Passage::order));
    List<Passage> kept = new ArrayList<>();
    int used = 0;
    for (Passage p : ranked) {
      if (used + p.text().length() > budget && !kept.isEmpty()) {
        continue;
      }
      kept.add(p);
      used += p.text().length();
      if (used >= budget) {
        break;
      }
    }
    kept.sort(Comparator.comparingInt(Passage::order));
    Map<Integer, StringBuilder> byPage = new TreeMap<>();
    for (Passage p : kept) {
      StringBuilder sb = byPage.computeIfAbsent(p.page(), k -> new StringBuilder());
      if (sb.length() > 0) {
        sb.append("\n");
      }
      sb.append(p.text().length() > budget ? p.text().substring(0, budget) : p.text());
    }
    List<Found> found = new ArrayList<>();
    byPage.forEach((page, text) -> found.add(new Found(page, text.toString())));
    return found;
  }

  /** A page's paragraphs, long ones cut into sentence runs of about {@value #PASSAGE_CHARS}. */
  static List<String> passages(String page) {
    List<String> out = new ArrayList<>();
    for (String paragraph : page.split("\n\\s*\n|\n")) {
      String p = paragraph.strip();
      if (p.isEmpty()) {
        continue;
      }
      if (p.length() <= PASSAGE_CHARS) {
        out.add(p);
        continue;
      }
      StringBuilder run = new StringBuilder();
      for (String sentence : p.split("(?<=[.!?])\\s+")) {
        if (run.length() > 0 && run.length() + sentence.length() > PASSAGE_CHARS) {
          out.add(run.toString());
          run.setLength(0);
        }
        if (run.length() > 0) {
          run.append(' ');
        }
        run.append(sentence);
      }
      if (run.length() > 0) {
        out.add(run.toString());
      }
    }
    return out;
  }

  /** Lower-cased words, stop words out, a crude plural folding ("cities" and "city" meet). */
  static List<String> terms(String text) {
    List<String> out = new ArrayList<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (w.isEmpty() || STOP.contains(w)) {
        continue;
      }
      if (w.length() > 4 && w.endsWith("ies")) {
        w = w.substring(0, w.length() - 3) + "y";
      } else if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) {
        w = w.substring(0, w.length() - 1);
      }
      out.add(w);
    }
    return out;
  }
}
