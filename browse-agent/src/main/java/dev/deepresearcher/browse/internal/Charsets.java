package dev.deepresearcher.browse.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.MediaType;

/**
 * Picks the charset of a body: a byte-order mark, then the Content-Type header, then (for HTML) a
 * {@code <meta>} declaration in the first 4 KB, else UTF-8. Unknown names fall back to UTF-8;
 * malformed bytes become U+FFFD rather than failing.
 */
final class Charsets {
  private static final Pattern META =
      Pattern.compile(
          "<meta[^>]+charset\\s*=\\s*[\"']?\\s*([A-Za-z0-9._:-]+)", Pattern.CASE_INSENSITIVE);

  private Charsets() {}

  static Charset declared(MediaType type, byte[] bytes) {
    Charset bom = bom(bytes);
    if (bom != null) {
      return bom;
    }
    if (type != null && type.parameter("charset") != null) {
      Charset c = named(type.parameter("charset"));
      if (c != null) {
        return c;
      }
    }
    return StandardCharsets.UTF_8;
  }

  static Charset forHtml(MediaType type, byte[] bytes) {
    Charset bom = bom(bytes);
    if (bom != null) {
      return bom;
    }
    if (type != null && type.parameter("charset") != null) {
      Charset c = named(type.parameter("charset"));
      if (c != null) {
        return c;
      }
    }
    String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.ISO_8859_1);
    Matcher m = META.matcher(head);
    if (m.find()) {
      Charset c = named(m.group(1));
      if (c != null) {
        return c;
      }
    }
    return StandardCharsets.UTF_8;
  }

  static String decode(byte[] bytes, Charset charset) {
    int skip = 0;
    if (charset.equals(StandardCharsets.UTF_8)
        && bytes.length >= 3
        && (bytes[0] & 0xFF) == 0xEF
        && (bytes[1] & 0xFF) == 0xBB
        && (bytes[2] & 0xFF) == 0xBF) {
      skip = 3;
    }
    try {
      return charset
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(bytes, skip, bytes.length - skip))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("REPLACE never throws", e);
    }
  }

  private static Charset bom(byte[] b) {
    if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
      return StandardCharsets.UTF_8;
    }
    if (b.length >= 2 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF) {
      return StandardCharsets.UTF_16BE;
    }
    if (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE) {
      return StandardCharsets.UTF_16LE;
    }
    return null;
  }

  private static Charset named(String name) {
    try {
      return Charset.forName(name.strip().replace("\"", ""));
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return null;
    }
  }
}
