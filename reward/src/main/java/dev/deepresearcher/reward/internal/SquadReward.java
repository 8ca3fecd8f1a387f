package dev.deepresearcher.reward.internal;

import dev.deepresearcher.reward.RewardFunction;
import dev.deepresearcher.reward.Rewards.Metric;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQuAD v1.1 evaluation's EM and F1 ({@code normalize_answer}: lower-case, drop ASCII
 * punctuation, drop the words a/an/the, collapse whitespace; F1 over word <em>multisets</em>), on
 * the first {@code <answer>…</answer>} of the response. A response without one scores 0.
 */
public final class SquadReward implements RewardFunction {
  private static final String OPEN = "<answer>";
  private static final String CLOSE = "</answer>";

  private final Metric metric;

  public SquadReward(Metric metric) {
    this.metric = metric;
  }

  @Override
  public String name() {
    return metric == Metric.F1 ? "squad-f1" : "squad-em";
  }

  @Override
  public double score(String response, List<String> groundTruths) {
    String answer = firstAnswer(response);
    if (answer == null) {
      return 0.0;
    }
    return metric == Metric.F1
        ? bestF1(answer, groundTruths)
        : bestExactMatch(answer, groundTruths);
  }

  /** SQuAD's exact match, best over the ground truths. */
  public static double bestExactMatch(String prediction, List<String> groundTruths) {
    List<String> p = normalizedWords(prediction);
    for (String truth : groundTruths) {
      if (p.equals(normalizedWords(truth))) {
        return 1.0;
      }
    }
    return 0.0;
  }

  /** SQuAD's F1, best over the ground truths. */
  public static double bestF1(String prediction, List<String> groundTruths) {
    List<String> p = normalizedWords(prediction);
    Map<String, Integer> predicted = counts(p);
    double best = 0.0;
    for (String truth : groundTruths) {
      List<String> t = normalizedWords(truth);
      Map<String, Integer> remaining = counts(t);
      int same = 0;
      for (Map.Entry<String, Integer> e : predicted.entrySet()) {
        same += Math.min(e.getValue(), remaining.getOrDefault(e.getKey(), 0));
      }
      if (same == 0) {
        continue;
      }
      double precision = 1.0 * same / p.size();
      double recall = 1.0 * same / t.size();
      best = Math.max(best, (2 * precision * recall) / (precision + recall));
    }
    return best;
  }

  /** SQuAD's {@code normalize_answer(s).split()}. */
  public static List<String> normalizedWords(String s) {
    String lower = PyText.lower(s);
    StringBuilder kept = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (!PyText.isAsciiPunctuation(c)) {
        kept.append(c);
      }
    }
    String text = removeArticles(kept);
    List<String> words = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean space = i == text.length() || PyText.isSpace(text.charAt(i));
      if (space && start >= 0) {
        words.add(text.substring(start, i));
        start = -1;
      } else if (!space && start < 0) {
        start = i;
      }
    }
    return words;
  }

  /** {@code re.sub(r'\b(a|an|the)\b', ' ', text)} with Python's Unicode word characters. */
  private static String removeArticles(CharSequence text) {
    StringBuilder out = new StringBuilder(text.length());
    int n = text.length();
    int i = 0;
    while (i < n) {
      int len = articleAt(text, i);
      if (len > 0) {
        out.append(' ');
        i += len;
      } else {
        out.append(text.charAt(i));
        i++;
      }
    }
    return out.toString();
  }

  private static int articleAt(CharSequence text, int i) {
    char c = text.charAt(i);
    if (c != 'a' && c != 't') {
      return 0;
    }
    if (i > 0 && isWord(Character.codePointBefore(text, i))) {
      return 0;
    }
    int n = text.length();
    // The regex tries a, then an, then the; each needs a non-word character (or the end) after it.
    if (c == 'a') {
      if (i + 1 == n || !isWord(Character.codePointAt(text, i + 1))) {
        return 1;
      }
      if (text.charAt(i + 1) == 'n'
          && (i + 2 == n || !isWord(Character.codePointAt(text, i + 2)))) {
        return 2;
      }
      return 0;
    }
    if (i + 2 < n
        && text.charAt(i + 1) == 'h'
        && text.charAt(i + 2) == 'e'
        && (i + 3 == n || !isWord(Character.codePointAt(text, i + 3)))) {
      return 3;
    }
    return 0;
  }

  /** Python's {@code \w} for str patterns: alphanumeric (letters and all numerics) or '_'. */
  private static boolean isWord(int cp) {
    if (cp < 128) {
      return (cp >= 'a' && cp <= 'z')
          || (cp >= 'A' && cp <= 'Z')
          || (cp >= '0' && cp <= '9')
          || cp == '_';
    }
    if (Character.isLetter(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.DECIMAL_DIGIT_NUMBER
        || type == Character.LETTER_NUMBER
        || type == Character.OTHER_NUMBER;
  }

  private static Map<String, Integer> counts(List<String> words) {
    Map<String, Integer> counts = new HashMap<>();
    for (String w : words) {
      counts.merge(w, 1, Integer::sum);
    }
    return counts;
  }

  private static String firstAnswer(String response) {
    int open = indexOfFolded(response, OPEN, 0);
    if (open < 0) {
      return null;
    }
    int close = indexOfFolded(response, CLOSE, open + OPEN.length());
    return close < 0 ? null : response.substring(open + OPEN.length(), close);
  }

  private static int indexOfFolded(String text, String lower, int from) {
    for (int i = text.indexOf('<', from); i >= 0; i = text.indexOf('<', i + 1)) {
      if (TagScan.foldedEquals(text, i, lower)) {
        return i;
      }
    }
    return -1;
  }
}
