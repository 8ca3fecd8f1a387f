package dev.deepresearcher.policy.factory;

import dev.deepresearcher.policy.factory.internal.FolderJson;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A byte-level BPE tokenizer trained by {@link TinyModels#trainTokenizer} in Qwen2's layout: the
 * 256 byte tokens and the merged tokens (ids {@code 0 … bpeSize()-1}), then the special tokens
 * {@code <|endoftext|>} (padding), {@code <|im_start|>}, {@code <|im_end|>} (end of turn), then the
 * added non-special tags ({@code <think>}, {@code </think>}, {@code <tool_call>}, …), each one
 * token. Immutable.
 *
 * <pre>{@code
 * TinyTokenizer tok = TinyModels.trainTokenizer(texts, BpeSpec.defaults());
 * System.out.println(tok.size() + " tokens, " + tok.splitWords() + " frequent words split");
 * int eos = tok.id(TinyTokenizer.IM_END);
 * }</pre>
 */
public final class TinyTokenizer {
  /** The padding token, Qwen2's {@code <|endoftext|>}. */
  public static final String PAD = "<|endoftext|>";

  /** Opens a chat turn. */
  public static final String IM_START = "<|im_start|>";

  /** Ends a chat turn: the end-of-sequence token. */
  public static final String IM_END = "<|im_end|>";

  /** The special tokens, in id order after the BPE vocabulary. */
  public static final List<String> SPECIAL_TOKENS = List.of(PAD, IM_START, IM_END);

  /**
   * The agent's tags, added as non-special tokens after the special ones (kept when decoding with
   * special tokens skipped, as Qwen2.5 keeps {@code <tool_call>}).
   */
  public static final List<String> TAG_TOKENS =
      List.of(
          "<think>",
          "</think>",
          "<tool_call>",
          "</tool_call>",
          "<answer>",
          "</answer>",
          "<tool_response>",
          "</tool_response>");

  /** How many tokens come after the BPE vocabulary. */
  public static final int ADDED_TOKEN_COUNT = 11;

  private final List<String> vocab;
  private final List<String[]> merges;
  private final BpeSpec spec;
  private final int distinctWords;
  private final int frequentWords;
  private final int splitWords;
  private final Map<String, Integer> ids = new HashMap<>();

  TinyTokenizer(
      List<String> vocab,
      List<String[]> merges,
      BpeSpec spec,
      int distinctWords,
      int frequentWords,
      int splitWords) {
    this.vocab = List.copyOf(vocab);
    this.merges = merges.stream().map(String[]::clone).toList();
    this.spec = Objects.requireNonNull(spec, "spec");
    this.distinctWords = distinctWords;
    this.frequentWords = frequentWords;
    this.splitWords = splitWords;
    for (int i = 0; i < this.vocab.size(); i++) {
      ids.putIfAbsent(this.vocab.get(i), i);
    }
    List<String> added = addedTokens();
    for (int i = 0; i < added.size(); i++) {
      ids.put(added.get(i), this.vocab.size() + i);
    }
  }

  /** The special then the tag tokens, in id order. */
  public static List<String> addedTokens() {
    return Stream.concat(SPECIAL_TOKENS.stream(), TAG_TOKENS.stream()).toList();
  }

  /**
   * The BPE tokens in id order, in byte characters ({@code Ġ} for a space, {@code Ċ} a newline).
   */
  public List<String> vocab() {
    return vocab;
  }

  /** Tokens in the BPE vocabulary (byte tokens and merges); the added tokens follow. */
  public int bpeSize() {
    return vocab.size();
  }

  /** All tokens, the added ones included. */
  public int size() {
    return vocab.size() + ADDED_TOKEN_COUNT;
  }

  /** The merges in rank order, each two tokens. */
  public List<String[]> merges() {
    return merges.stream().map(String[]::clone).toList();
  }

  /** The id of a token (a BPE token in byte characters, or an added token), or -1. */
  public int id(String token) {
    return ids.getOrDefault(token, -1);
  }

  /** What it was trained with. */
  public BpeSpec spec() {
    return spec;
  }

  /** Distinct pre-tokenized words in the training texts. */
  public int distinctWords() {
    return distinctWords;
  }

  /** Words occurring at least {@code minFrequency} times. */
  public int frequentWords() {
    return frequentWords;
  }

  /**
   * Words occurring at least {@code minFrequency} times that are still several tokens because the
   * vocabulary was full; 0 unless {@code maxVocab} was reached (raise it to make them one token).
   */
  public int splitWords() {
    return splitWords;
  }

  /** The {@code tokenizer.json} of this tokenizer (Hugging Face tokenizers' format). */
  public String toJson() {
    return FolderJson.tokenizerJson(vocab, merges, SPECIAL_TOKENS, TAG_TOKENS);
  }
}
