package dev.deepresearcher.browse.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into pages of at most {@code n} characters at paragraph boundaries (blank lines); a
 * paragraph longer than a page is split at line, sentence or word boundaries, and as a last resort
 * anywhere.
 */
public final class Paginator {
  private Paginator() {}

  public static List<String> pages(String text, int n) {
    List<String> pages = new ArrayList<>();
    StringBuilder page = new StringBuilder();
    for (String paragraph : text.split("\n\\s*\n")) {
      String p = paragraph.strip();
      if (p.isEmpty()) {
        continue;
      }
      for (String piece : pieces(p, n)) {
        int extra = page.length() == 0 ? piece.length() : piece.length() + 2;
        if (page.length() + extra > n) {
          pages.add(page.toString());
          page.setLength(0);
        }
        if (page.length() > 0) {
          page.append("\n\n");
        }
        page.append(piece);
      }
    }
    if (page.length() > 0) {
      pages.add(page.toString());
    }
    return pages;
  }

  /** {@code p} in pieces of at most {@code n} characters, cut at the best boundary available. */
  private static List<String> pieces(String p, int n) {
    List<String> out = new ArrayList<>();
    String rest = p;
    while (rest.length() > n) {
      int cut = lastBoundary(rest, n);
      out.add(rest.substring(0, cut).strip());
      rest = rest.substring(cut).strip();
    }
    if (!rest.isEmpty()) {
      out.add(rest);
    }
    return out;
  }

  private static int lastBoundary(String s, int n) {
    int newline = s.lastIndexOf('\n', n);
    if (newline > n / 2) {
      return newline + 1;
    }
    for (int i = n - 1; i > n / 2; i--) {
      char c = s.charAt(i);
      if ((c == '.' || c == '!' || c == '?') && Character.isWhitespace(s.charAt(i + 1))) {
        return i + 1;
      }
    }
    int space = s.lastIndexOf(' ', n);
    return space > n / 2 ? space + 1 : n;
  }
}
