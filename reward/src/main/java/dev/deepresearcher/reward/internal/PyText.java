package dev.deepresearcher.reward.internal;

import java.util.Locale;

/**
 * Text operations with Python 3's exact semantics, so that scores match the Python reference code
 * to the bit: {@code str.lower()}, {@code str.isspace()} (which is also what {@code re}'s {@code
 * \s}, {@code str.split()} and {@code str.strip()} use) and {@code string.punctuation}.
 */
final class PyText {
  private PyText() {}

  /** Python's {@code str.isspace()} for one UTF-16 unit (no whitespace lies outside the BMP). */
  static boolean isSpace(char c) {
    if (c < 128) {
      return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
    }
    return c == 0x85
        || c == 0xA0
        || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A)
        || c == 0x2028
        || c == 0x2029
        || c == 0x202F
        || c == 0x205F
        || c == 0x3000;
  }

  /** One of Python's {@code string.punctuation}: the 32 ASCII punctuation characters. */
  static boolean isAsciiPunctuation(char c) {
    return (c >= '!' && c <= '/')
        || (c >= ':' && c <= '@')
        || (c >= '[' && c <= '`')
        || (c >= '{' && c <= '~');
  }

  /**
   * Python's {@code str.lower()}: full Unicode lower-casing (İ becomes i + U+0307, final sigma is
   * contextual), which {@link String#toLowerCase(Locale)} with {@link Locale#ROOT} implements.
   * ASCII text takes a path without the locale machinery.
   */
  static String lower(String s) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c >= 128) {
        return s.toLowerCase(Locale.ROOT);
      }
      if (c >= 'A' && c <= 'Z') {
        break;
      }
      i++;
    }
    if (i == n) {
      return s;
    }
    char[] out = s.toCharArray();
    for (; i < n; i++) {
      char c = out[i];
      if (c >= 128) {
        return s.toLowerCase(Locale.ROOT);
      }
      if (c >= 'A' && c <= 'Z') {
        out[i] = (char) (c + 32);
      }
    }
    return new String(out);
  }

  /**
   * DeepResearcher's {@code preprocess_text}: every ASCII punctuation character becomes a space,
   * runs of whitespace become one space, and the ends are stripped. Returns the words, split on the
   * single spaces that remain (Python's {@code str.split()} on the result).
   */
  static String[] punctuationToSpaceWords(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean pendingSpace = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isAsciiPunctuation(c) || isSpace(c)) {
        pendingSpace = sb.length() > 0;
      } else {
        if (pendingSpace) {
          sb.append(' ');
          pendingSpace = false;
        }
        sb.append(c);
      }
    }
    return sb.length() == 0 ? new String[0] : sb.toString().split(" ", -1);
  }

  /** As {@link #punctuationToSpaceWords}, joined back with single spaces (the processed text). */
  static String punctuationToSpace(String s) {
    return String.join(" ", punctuationToSpaceWords(s));
  }

  /** Python's {@code str.strip()} with no argument. */
  static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }
}
