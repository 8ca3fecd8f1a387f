package dev.deepresearcher.policy.factory;

/**
 * How to train a tiny model's byte-level BPE tokenizer.
 *
 * <pre>{@code
 * TinyTokenizer tok = TinyModels.trainTokenizer(texts, new BpeSpec(4096, 1));
 * }</pre>
 *
 * @param maxVocab the most tokens the tokenizer may have: the 256 byte tokens, the merged tokens
 *     and the {@value TinyTokenizer#ADDED_TOKEN_COUNT} added tokens. The model's embedding has this
 *     size rounded up to a multiple of 64.
 * @param minFrequency the least number of occurrences a pair of tokens needs to be merged: every
 *     word that occurs this often in the training texts ends as one token while the vocabulary has
 *     room (1 makes every word of the texts a token)
 */
public record BpeSpec(int maxVocab, int minFrequency) {
  /** Room for the 256 byte tokens and the added tokens. */
  public static final int MIN_VOCAB = 256 + TinyTokenizer.ADDED_TOKEN_COUNT;

  /** The largest vocabulary allowed: far beyond a tiny model, a guard against typos. */
  public static final int MAX_VOCAB = 1 << 20;

  public BpeSpec {
    if (maxVocab < MIN_VOCAB || maxVocab > MAX_VOCAB) {
      throw new IllegalArgumentException(
          "maxVocab "
              + maxVocab
              + " is outside ["
              + MIN_VOCAB
              + ", "
              + MAX_VOCAB
              + "]: the tokenizer needs the 256 byte tokens plus "
              + TinyTokenizer.ADDED_TOKEN_COUNT
              + " added tokens; give at least "
              + MIN_VOCAB
              + " (e.g. 8192)");
    }
    if (minFrequency < 1) {
      throw new IllegalArgumentException(
          "minFrequency "
              + minFrequency
              + " is below 1; give 1 (every word of the texts becomes a token) or more");
    }
  }

  /** 8192 tokens at most; words occurring twice or more become one token. */
  public static BpeSpec defaults() {
    return new BpeSpec(8192, 2);
  }
}
