package dev.deepresearcher.policy.factory.internal;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Qwen2's pre-tokenization, in Java, exactly as the Rust tokenizer runs it on a {@code
 * tokenizer.json} of Qwen2's layout: split the text on the added tokens (matched on the raw text),
 * normalize each remaining segment to NFC, split it with Qwen2's regex (each match and each gap is
 * a piece), then write each piece's UTF-8 bytes as GPT-2's printable byte characters. The BPE
 * trainer counts these pieces, so what it merges is what the runtime will see.
 */
public final class ByteLevel {
  /** Qwen2's Split pattern, as it appears in {@code tokenizer.json}. */
  public static final String SPLIT_REGEX =
      "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}|"
          + " ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  /**
   * The same pattern for java.util.regex: the Rust tokenizer's regex engine reads {@code \s} as
   * Unicode white space and {@code (?i)} as Unicode case folding, which Java does only with these
   * two flags (TinyTokenizerTest checks the pieces against the runtime's on tricky strings). {@code
   * \p{L}} and {@code \p{N}} are Unicode categories in both.
   */
  private static final Pattern SPLIT =
      Pattern.compile(SPLIT_REGEX, Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNICODE_CASE);

  private static final char[] BYTE_TO_CHAR = byteToChar();

  private final Pattern addedTokens;

  /**
   * @param addedTokens tokens the runtime cuts out of the text before anything else
   */
  public ByteLevel(List<String> addedTokens) {
    // Longest first, so that of two tokens where one starts the other the longer wins (as the
    // runtime's leftmost-longest matcher does).
    this.addedTokens =
        addedTokens.isEmpty()
            ? null
            : Pattern.compile(
                addedTokens.stream()
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .map(Pattern::quote)
                    .collect(Collectors.joining("|")));
  }

  /**
   * GPT-2's byte → character table: printable Latin-1 bytes stand for themselves, the other 68
   * bytes (controls, space, 0x7F–0xA0, 0xAD) for U+0100 onwards, so every byte is one visible
   * character and a space is {@code Ġ}.
   */
  private static char[] byteToChar() {
    char[] table = new char[256];
    boolean[] printable = new boolean[256];
    for (int b = '!'; b <= '~'; b++) {
      printable[b] = true;
    }
    for (int b = 0xA1; b <= 0xAC; b++) {
      printable[b] = true;
    }
    for (int b = 0xAE; b <= 0xFF; b++) {
      printable[b] = true;
    }
    int next = 0;
    for (int b = 0; b < 256; b++) {
      table[b] = printable[b] ? (char) b : (char) (256 + next++);
    }
    return table;
  }

  /** The character that stands for byte {@code b} (0–255). */
  public static char charOf(int b) {
    return BYTE_TO_CHAR[b & 0xFF];
  }

  /** {@code text}'s UTF-8 bytes as byte characters. */
  public static String encodeBytes(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    char[] out = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
    }
    return new String(out);
  }

  /**
   * The pre-tokenized pieces of {@code text} as byte characters (added tokens left out: they are
   * tokens of their own, never merged).
   */
  public void pieces(String text, Consumer<String> piece) {
    if (addedTokens == null) {
      split(text, piece);
      return;
    }
    Matcher m = addedTokens.matcher(text);
    int at = 0;
    while (m.find()) {
      split(text.substring(at, m.start()), piece);
      at = m.end();
    }
    split(text.substring(at), piece);
  }

  /** Convenience for tests: the pieces of {@code text} in order. */
  public List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    pieces(text, out::add);
    return out;
  }

  private static void split(String segment, Consumer<String> piece) {
    if (segment.isEmpty()) {
      return;
    }
    String s = Normalizer.normalize(segment, Normalizer.Form.NFC);
    Matcher m = SPLIT.matcher(s);
    int at = 0;
    while (m.find()) {
      if (m.start() > at) { // "Isolated": the text between matches is a piece too
        piece.accept(encodeBytes(s.substring(at, m.start())));
      }
      if (m.end() > m.start()) {
        piece.accept(encodeBytes(s.substring(m.start(), m.end())));
      }
      at = m.end();
    }
    if (at < s.length()) {
      piece.accept(encodeBytes(s.substring(at)));
    }
  }
}
