package dev.deepresearcher.core.text;

import java.util.List;

/**
 * Python 3's {@code repr()} of strings and lists of strings, character for character: prompts that
 * Python code builds with {@code str(list)} (DeepResearcher's judge) and chat templates that print
 * a value read the same when we build them.
 *
 * <pre>{@code
 * PythonRepr.string("l'île")               // "l'île" in double quotes
 * PythonRepr.list(List.of("a", "b\n"))     // ['a', 'b\n']
 * }</pre>
 */
public final class PythonRepr {
  private PythonRepr() {}

  /** {@code repr(list_of_str)}, e.g. {@code ['paris', "l'île"]}. */
  public static String list(List<String> items) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      append(sb, items.get(i));
    }
    return sb.append(']').toString();
  }

  /** {@code repr(s)}. */
  public static String string(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    append(sb, s);
    return sb.toString();
  }

  /**
   * Appends {@code repr(s)}: single quotes unless the text has ' and no ", backslash escapes for
   * the quote, the backslash, tab, newline and carriage return, and hexadecimal escapes (x, u or U
   * with 2, 4 or 8 digits) for what Python deems unprintable.
   */
  public static void append(StringBuilder sb, String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    sb.append(quote);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == quote || cp == '\\') {
        sb.append('\\').appendCodePoint(cp);
      } else if (cp == '\t') {
        sb.append("\\t");
      } else if (cp == '\n') {
        sb.append("\\n");
      } else if (cp == '\r') {
        sb.append("\\r");
      } else if (isPrintable(cp)) {
        sb.appendCodePoint(cp);
      } else if (cp < 0x100) {
        sb.append(String.format("\\x%02x", cp));
      } else if (cp < 0x10000) {
        sb.append(String.format("\\u%04x", cp));
      } else {
        sb.append(String.format("\\U%08x", cp));
      }
    }
    sb.append(quote);
  }

  /** Python's {@code str.isprintable()} for one code point. */
  public static boolean isPrintable(int cp) {
    if (cp == ' ') {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.SURROGATE,
          Character.PRIVATE_USE,
          Character.UNASSIGNED,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SPACE_SEPARATOR ->
          false;
      default -> true;
    };
  }
}
