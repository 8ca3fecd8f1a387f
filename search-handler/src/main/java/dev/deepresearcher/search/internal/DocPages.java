package dev.deepresearcher.search.internal;

import dev.deepresearcher.search.internal.local.CorpusDocument;

/** A corpus passage as a small, valid HTML page, all text escaped. */
final class DocPages {
  private DocPages() {}

  static String html(CorpusDocument doc) {
    StringBuilder sb = new StringBuilder(doc.text().length() + 512);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(escape(doc.title()))
        .append("</title>\n</head>\n<body>\n<article>\n<h1>")
        .append(escape(doc.title()))
        .append("</h1>\n");
    for (String paragraph : doc.text().split("\\n\\s*\\n")) {
      if (!paragraph.isBlank()) {
        sb.append("<p>").append(escape(paragraph.strip())).append("</p>\n");
      }
    }
    return sb.append("</article>\n</body>\n</html>\n").toString();
  }

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
