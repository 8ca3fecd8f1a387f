package dev.deepresearcher.policy.internal.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a template into text and tags, applying Jinja2's whitespace rules: {@code -} on a tag
 * strips the whitespace next to it, {@code trim_blocks} drops the first newline after a block or
 * comment tag, {@code lstrip_blocks} drops spaces and tabs before a block or comment tag that starts
 * its line ({@code {%+} opts out). Tag contents are tokenised into {@link Token}s.
 */
final class Lexer {
  enum Kind {
    TEXT,
    PRINT_START,
    PRINT_END,
    BLOCK_START,
    BLOCK_END,
    NAME,
    STRING,
    INT,
    FLOAT,
    OP,
    EOF
  }

  record Token(Kind kind, String text, int line) {
    boolean is(Kind k, String t) {
      return kind == k && text.equals(t);
    }

    boolean isOp(String t) {
      return kind == Kind.OP && text.equals(t);
    }

    boolean isName(String t) {
      return kind == Kind.NAME && text.equals(t);
    }
  }

  private static final String[] OPERATORS = {
    "**", "//", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "=", "|", ".", ",",
    ":", "(", ")", "[", "]", "{", "}"
  };

  private final String src;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;
  private int line = 1;

  private Lexer(String src) {
    // As Jinja2's tokeniter: newlines become \n and one trailing newline is dropped
    // (keep_trailing_newline=False, which transformers leaves at its default).
    String s = src.replace("\r\n", "\n").replace('\r', '\n');
    this.src = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }

  static List<Token> tokenize(String template) {
    Lexer l = new Lexer(template);
    l.run();
    return l.tokens;
  }

  private void run() {
    StringBuilder text = new StringBuilder();
    boolean stripNextText = false; // a '-' on the previous tag's end
    boolean trimNextNewline = false; // trim_blocks after a block or comment tag
    while (pos < src.length()) {
      int open = nextTagStart(pos);
      String chunk = open < 0 ? src.substring(pos) : src.substring(pos, open);
      if (trimNextNewline) {
        if (chunk.startsWith("\r\n")) {
          chunk = chunk.substring(2);
          line++;
        } else if (chunk.startsWith("\n")) {
          chunk = chunk.substring(1);
          line++;
        }
        trimNextNewline = false;
      }
      if (stripNextText) {
        int i = 0;
        while (i < chunk.length() && Character.isWhitespace(chunk.charAt(i))) {
          if (chunk.charAt(i) == '\n') {
            line++;
          }
          i++;
        }
        chunk = chunk.substring(i);
        stripNextText = false;
      }
      if (open < 0) {
        text.append(chunk);
        pos = src.length();
        break;
      }
      char kind = src.charAt(open + 1); // '{', '%' or '#'
      boolean minus = open + 2 < src.length() && src.charAt(open + 2) == '-';
      boolean plus = open + 2 < src.length() && src.charAt(open + 2) == '+';
      if (minus) {
        chunk = stripTrailing(chunk);
      } else if (kind != '{' && !plus && startsLine(open)) {
        chunk = stripSpacesAndTabs(chunk);
      }
      text.append(chunk);
      countLines(src, pos, open);
      flushText(text);
      pos = open + 2 + (minus || plus ? 1 : 0);
      if (kind == '#') {
        int end = src.indexOf("#}", pos);
        if (end < 0) {
          throw new TemplateException("line " + line + ": a comment is not closed with #}");
        }
        boolean endMinus = end > pos && src.charAt(end - 1) == '-';
        countLines(src, pos, end);
        pos = end + 2;
        stripNextText = endMinus;
        trimNextNewline = !endMinus;
        continue;
      }
      String close = kind == '{' ? "}}" : "%}";
      tokens.add(
          new Token(
              kind == '{' ? Kind.PRINT_START : Kind.BLOCK_START, kind == '{' ? "{{" : "{%", line));
      boolean endMinus = lexTag(close);
      tokens.add(new Token(kind == '{' ? Kind.PRINT_END : Kind.BLOCK_END, close, line));
      if (kind == '%' && isRaw()) {
        pos = readRaw();
        continue;
      }
      stripNextText = endMinus;
      trimNextNewline = kind == '%' && !endMinus;
    }
    flushText(text);
    tokens.add(new Token(Kind.EOF, "", line));
  }

  /** The text and end of a {@code {% raw %}} block, emitted as text. */
  private boolean isRaw() {
    int n = tokens.size();
    return n >= 3
        && tokens.get(n - 2).isName("raw")
        && tokens.get(n - 3).kind() == Kind.BLOCK_START;
  }

  private int readRaw() {
    Matcher m = Pattern.compile("\\{%-?\\s*endraw\\s*-?%}").matcher(src);
    if (!m.find(pos)) {
      throw new TemplateException("line " + line + ": raw block without endraw");
    }
    tokens.remove(tokens.size() - 1);
    tokens.remove(tokens.size() - 1);
    tokens.remove(tokens.size() - 1);
    String raw = src.substring(pos, m.start());
    if (raw.startsWith("\n")) {
      raw = raw.substring(1); // trim_blocks after {% raw %}
    }
    tokens.add(new Token(Kind.TEXT, raw, line));
    countLines(src, pos, m.end());
    int after = m.end();
    if (after < src.length() && src.charAt(after) == '\n') {
      after++;
    }
    return after;
  }

  private int nextTagStart(int from) {
    for (int i = src.indexOf('{', from);
        i >= 0 && i + 1 < src.length();
        i = src.indexOf('{', i + 1)) {
      char c = src.charAt(i + 1);
      if (c == '{' || c == '%' || c == '#') {
        return i;
      }
    }
    return -1;
  }

  private static String stripTrailing(String s) {
    int end = s.length();
    while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }

  /** lstrip_blocks applies when only spaces and tabs precede the tag on its source line. */
  private boolean startsLine(int tag) {
    int i = tag;
    while (i > 0 && (src.charAt(i - 1) == ' ' || src.charAt(i - 1) == '\t')) {
      i--;
    }
    return i == 0 || src.charAt(i - 1) == '\n';
  }

  private static String stripSpacesAndTabs(String chunk) {
    int i = chunk.length();
    while (i > 0 && (chunk.charAt(i - 1) == ' ' || chunk.charAt(i - 1) == '\t')) {
      i--;
    }
    return chunk.substring(0, i);
  }

  private void flushText(StringBuilder text) {
    if (text.length() > 0) {
      tokens.add(new Token(Kind.TEXT, text.toString(), line));
      text.setLength(0);
    }
  }

  private void countLines(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == '\n') {
        line++;
      }
    }
  }

  /** Tokenises the inside of a tag up to {@code close}; returns whether it ended with '-'. */
  private boolean lexTag(String close) {
    while (true) {
      if (pos >= src.length()) {
        throw new TemplateException("line " + line + ": a tag is not closed with " + close);
      }
      char c = src.charAt(pos);
      if (c == '\n') {
        line++;
        pos++;
        continue;
      }
      if (Character.isWhitespace(c)) {
        pos++;
        continue;
      }
      if (c == '-' && src.startsWith(close, pos + 1)) {
        pos += 1 + close.length();
        return true;
      }
      if (src.startsWith(close, pos)) {
        pos += close.length();
        return false;
      }
      if (c == '"' || c == '\'') {
        tokens.add(new Token(Kind.STRING, readString(c), line));
        continue;
      }
      if (Character.isDigit(c)) {
        readNumber();
        continue;
      }
      if (Character.isLetter(c) || c == '_') {
        int start = pos;
        while (pos < src.length()
            && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
          pos++;
        }
        tokens.add(new Token(Kind.NAME, src.substring(start, pos), line));
        continue;
      }
      boolean matched = false;
      for (String op : OPERATORS) {
        if (src.startsWith(op, pos)) {
          tokens.add(new Token(Kind.OP, op, line));
          pos += op.length();
          matched = true;
          break;
        }
      }
      if (!matched) {
        throw new TemplateException("line " + line + ": unexpected character '" + c + "'");
      }
    }
  }

  private void readNumber() {
    int start = pos;
    while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
      pos++;
    }
    boolean isFloat = false;
    if (pos + 1 < src.length()
        && src.charAt(pos) == '.'
        && Character.isDigit(src.charAt(pos + 1))) {
      isFloat = true;
      pos++;
      while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
        pos++;
      }
    }
    if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
      int save = pos;
      pos++;
      if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
        pos++;
      }
      if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
        isFloat = true;
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
          pos++;
        }
      } else {
        pos = save;
      }
    }
    tokens.add(
        new Token(
            isFloat ? Kind.FLOAT : Kind.INT, src.substring(start, pos).replace("_", ""), line));
  }

  /** A string literal with Python's escapes. */
  private String readString(char quote) {
    pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= src.length()) {
        throw new TemplateException("line " + line + ": a string is not closed");
      }
      char c = src.charAt(pos++);
      if (c == quote) {
        return sb.toString();
      }
      if (c == '\n') {
        line++;
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = src.charAt(pos++);
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case '0' -> sb.append('\0');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'v' -> sb.append('\u000B');
        case 'a' -> sb.append('\u0007');
        case '\\', '\'', '"' -> sb.append(e);
        case '\n' -> line++;
        case 'x' -> {
          sb.append((char) Integer.parseInt(src.substring(pos, pos + 2), 16));
          pos += 2;
        }
        case 'u' -> {
          sb.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
          pos += 4;
        }
        case 'U' -> {
          sb.appendCodePoint(Integer.parseInt(src.substring(pos, pos + 8), 16));
          pos += 8;
        }
        default -> sb.append('\\').append(e); // Python keeps unknown escapes
      }
    }
  }
}
