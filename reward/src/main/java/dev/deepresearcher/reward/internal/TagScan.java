package dev.deepresearcher.reward.internal;

/**
 * One pass over a response that answers what DeepResearcher's reward asks of its tags, on the
 * lower-cased text, without building the lower-cased copy.
 *
 * <p>Only two non-ASCII characters lower-case to something that contains ASCII: U+212A (Kelvin sign
 * → {@code k}) and U+0130 (İ → {@code i} + U+0307). The first is folded here; the second can never
 * complete a tag because no tag has an {@code i} followed by U+0307 or ending in {@code i}. So
 * comparing folded characters of the original text finds exactly the tags that {@code text.lower()}
 * holds, at the same relative positions.
 */
final class TagScan {
  private static final String[] NAMES = {"tool_call", "think", "answer"};
  private static final int ANSWER = 2;

  /** Whether every tag pair is balanced and ordered, as DeepResearcher's check_tags_balance. */
  boolean balanced;

  /** Start of the first {@code <answer>} and of the first {@code </answer>} after it, or -1. */
  int answerOpen = -1;

  int answerClose = -1;

  private TagScan() {}

  /** Scans {@code text} from {@code from} to its end. */
  static TagScan scan(String text, int from) {
    TagScan result = new TagScan();
    int[] starts = new int[3];
    int[] ends = new int[3];
    boolean[] open = new boolean[3];
    int n = text.length();
    for (int i = text.indexOf('<', from); i >= 0; i = text.indexOf('<', i + 1)) {
      boolean closing = i + 1 < n && text.charAt(i + 1) == '/';
      int nameAt = closing ? i + 2 : i + 1;
      for (int t = 0; t < NAMES.length; t++) {
        String name = NAMES[t];
        int gt = nameAt + name.length();
        if (gt < n && text.charAt(gt) == '>' && foldedEquals(text, nameAt, name)) {
          if (closing) {
            ends[t]++;
            if (open[t]) {
              open[t] = false;
              if (t == ANSWER && result.answerClose < 0) {
                result.answerClose = i;
              }
            }
          } else {
            starts[t]++;
            if (!open[t]) {
              open[t] = true;
              if (t == ANSWER && result.answerOpen < 0) {
                result.answerOpen = i;
              }
            }
          }
          break;
        }
      }
    }
    boolean ok = true;
    for (int t = 0; t < NAMES.length; t++) {
      ok &= starts[t] == ends[t] && !open[t];
    }
    result.balanced = ok;
    return result;
  }

  /** Start of the last occurrence of {@code lowerNeedle} in lower-cased {@code text}, or -1. */
  static int lastIndexOfFolded(String text, String lowerNeedle) {
    int last = -1;
    char first = lowerNeedle.charAt(0); // '<' in every needle we use: not a letter
    for (int i = text.indexOf(first); i >= 0; i = text.indexOf(first, i + 1)) {
      if (i + lowerNeedle.length() <= text.length() && foldedEquals(text, i, lowerNeedle)) {
        last = i;
      }
    }
    return last;
  }

  /** True when {@code text} at {@code at} lower-cases to the ASCII {@code lower}. */
  static boolean foldedEquals(String text, int at, String lower) {
    if (at + lower.length() > text.length()) {
      return false;
    }
    for (int k = 0; k < lower.length(); k++) {
      char c = text.charAt(at + k);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + 32);
      } else if (c == '\u212A') {
        c = 'k';
      }
      if (c != lower.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
