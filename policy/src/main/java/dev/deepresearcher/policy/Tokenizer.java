package dev.deepresearcher.policy;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A model's own tokenizer, from its {@code tokenizer.json}, through DJL's binding of Hugging Face's
 * Rust tokenizers (offline: the native library ships in the jar). Special tokens in text ({@code
 * <|im_start|>}) are recognised; nothing is added around the text (chat templates add what they
 * need). Thread-safe.
 *
 * <pre>{@code
 * try (Tokenizer tok = Tokenizer.load(modelDir)) {
 *   int[] ids = tok.encode("<|im_start|>user\nhi<|im_end|>\n");
 *   String text = tok.decode(ids, false);
 * }
 * }</pre>
 */
public final class Tokenizer implements AutoCloseable {
  /**
   * An encoding with what tokenizers' Python API reports.
   *
   * @param ids token ids
   * @param tokens token strings (byte-level: spaces as Ġ, newlines as Ċ)
   * @param offsets {@code [start, end)} of each token in the text, in code points (as Python
   *     counts)
   */
  public record Encoded(int[] ids, List<String> tokens, int[][] offsets) {}

  private final HuggingFaceTokenizer tokenizer;
  private final Path file;

  private Tokenizer(HuggingFaceTokenizer tokenizer, Path file) {
    this.tokenizer = tokenizer;
    this.file = file;
  }

  /** Loads {@code dir/tokenizer.json} (or {@code dir} itself when it is the file). */
  public static Tokenizer load(Path dirOrFile) {
    Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve("tokenizer.json") : dirOrFile;
    if (!Files.exists(file)) {
      throw new PolicyException(
          dirOrFile + " has no tokenizer.json; the policy needs the model's own tokenizer");
    }
    try {
      HuggingFaceTokenizer t =
          HuggingFaceTokenizer.newInstance(
              file,
              Map.of(
                  "addSpecialTokens",
                  "false",
                  "truncation",
                  "false",
                  "padding",
                  "false",
                  "modelMaxLength",
                  "1000000000"));
      return new Tokenizer(t, file);
    } catch (IOException | RuntimeException e) {
      throw new PolicyException("cannot load the tokenizer " + file + ": " + e.getMessage(), e);
    }
  }

  /** Token ids of {@code text}. */
  public int[] encode(String text) {
    return toInts(tokenizer.encode(text, false, false).getIds());
  }

  /** Ids, token strings and code-point offsets of {@code text}. */
  public Encoded encodeWithOffsets(String text) {
    Encoding e = tokenizer.encode(text, false, false);
    CharSpan[] spans = e.getCharTokenSpans();
    int[][] offsets = new int[spans.length][];
    for (int i = 0; i < spans.length; i++) {
      offsets[i] =
          spans[i] == null ? new int[] {0, 0} : new int[] {spans[i].getStart(), spans[i].getEnd()};
    }
    return new Encoded(toInts(e.getIds()), List.of(e.getTokens()), offsets);
  }

  /** The text of {@code ids}; special tokens are dropped when {@code skipSpecialTokens}. */
  public String decode(int[] ids, boolean skipSpecialTokens) {
    long[] longs = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      longs[i] = ids[i];
    }
    return tokenizer.decode(longs, skipSpecialTokens);
  }

  /** The id of a single token such as {@code <|im_end|>}; -1 when the text is not one token. */
  public int tokenId(String token) {
    int[] ids = encode(token);
    return ids.length == 1 ? ids[0] : -1;
  }

  public Path file() {
    return file;
  }

  private static int[] toInts(long[] ids) {
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
