package dev.deepresearcher.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small facts about text files, for telling formats apart by content. */
public final class TextFiles {
  private TextFiles() {}

  /**
   * The first byte of {@code file} that is neither whitespace nor part of a UTF-8 byte-order mark,
   * or -1 for a blank file; {@code '['} or {@code '{'} tell a JSON list from JSON lines.
   */
  public static int firstSignificantByte(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      int c;
      while ((c = in.read()) >= 0) {
        if (c == 0xEF || c == 0xBB || c == 0xBF || Character.isWhitespace(c)) {
          continue;
        }
        return c;
      }
    }
    return -1;
  }
}
