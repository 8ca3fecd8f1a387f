package dev.deepresearcher.policy.factory;

/**
 * The shape of a tiny Qwen2 model and the seed of its random weights.
 *
 * <pre>{@code
 * TinyModelSpec spec = TinyModelSpec.defaults().withSeed(7);
 * TinyModelSpec small = new TinyModelSpec(64, 2, 4, 2, 192, 512, 10_000, 0.02, 1);
 * }</pre>
 *
 * @param hiddenSize width of the residual stream ({@code hidden_size}); a multiple of {@code
 *     numHeads} with an even quotient (the head width, which rotary embeddings split in halves)
 * @param numLayers decoder layers ({@code num_hidden_layers})
 * @param numHeads attention heads ({@code num_attention_heads})
 * @param numKvHeads key/value heads ({@code num_key_value_heads}); divides {@code numHeads}
 * @param intermediateSize width of the MLP ({@code intermediate_size})
 * @param contextLength the longest sequence ({@code max_position_embeddings}, {@code
 *     model_max_length})
 * @param ropeTheta the rotary embedding base
 * @param initializerRange the standard deviation of the random weights ({@code initializer_range})
 * @param seed the seed of the random weights: the same spec and tokenizer give the same files
 */
public record TinyModelSpec(
    int hiddenSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int intermediateSize,
    int contextLength,
    double ropeTheta,
    double initializerRange,
    long seed) {
  public TinyModelSpec {
    positive("hiddenSize", hiddenSize, 8192, "e.g. 128");
    positive("numLayers", numLayers, 256, "e.g. 4");
    positive("numHeads", numHeads, 256, "e.g. 4");
    positive("numKvHeads", numKvHeads, 256, "e.g. 2");
    positive("intermediateSize", intermediateSize, 65536, "e.g. 3 × hiddenSize");
    positive("contextLength", contextLength, 1 << 20, "e.g. 1024");
    if (hiddenSize % numHeads != 0) {
      throw new IllegalArgumentException(
          "hiddenSize "
              + hiddenSize
              + " is not divisible by numHeads "
              + numHeads
              + "; each head gets hiddenSize / numHeads dimensions (an even number): choose a"
              + " multiple of "
              + 2 * numHeads
              + " (e.g. "
              + Math.max(2L * numHeads, Math.round(hiddenSize / (2.0 * numHeads)) * 2 * numHeads)
              + ")");
    }
    if ((hiddenSize / numHeads) % 2 != 0) {
      throw new IllegalArgumentException(
          "the head width hiddenSize / numHeads = "
              + hiddenSize
              + " / "
              + numHeads
              + " = "
              + hiddenSize / numHeads
              + " is odd; rotary embeddings need an even width: change hiddenSize or numHeads");
    }
    if (numHeads % numKvHeads != 0) {
      throw new IllegalArgumentException(
          "numHeads "
              + numHeads
              + " is not a multiple of numKvHeads "
              + numKvHeads
              + "; grouped-query attention shares each key/value head among an equal number of"
              + " query heads: choose numKvHeads dividing "
              + numHeads);
    }
    if (!(ropeTheta > 1) || Double.isInfinite(ropeTheta)) {
      throw new IllegalArgumentException(
          "ropeTheta " + ropeTheta + " must be a finite number above 1; e.g. 10000");
    }
    if (!(initializerRange > 0) || !(initializerRange < 1)) {
      throw new IllegalArgumentException(
          "initializerRange "
              + initializerRange
              + " must be in (0, 1); transformers' Qwen2 uses 0.02");
    }
  }

  private static void positive(String name, int value, int max, String example) {
    if (value < 1 || value > max) {
      throw new IllegalArgumentException(
          name + " " + value + " is outside [1, " + max + "]; give a positive size, " + example);
    }
  }

  /**
   * Hidden 128, 4 layers, 4 heads, 2 key/value heads, MLP 384, context 1024, RoPE base 10000,
   * initializer range 0.02, seed 0: about 0.8 M parameters plus 128 per token of the vocabulary.
   */
  public static TinyModelSpec defaults() {
    return new TinyModelSpec(128, 4, 4, 2, 384, 1024, 10_000.0, 0.02, 0);
  }

  /** This shape with another seed. */
  public TinyModelSpec withSeed(long newSeed) {
    return new TinyModelSpec(
        hiddenSize,
        numLayers,
        numHeads,
        numKvHeads,
        intermediateSize,
        contextLength,
        ropeTheta,
        initializerRange,
        newSeed);
  }

  /** This spec with another context length. */
  public TinyModelSpec withContextLength(int newContextLength) {
    return new TinyModelSpec(
        hiddenSize,
        numLayers,
        numHeads,
        numKvHeads,
        intermediateSize,
        newContextLength,
        ropeTheta,
        initializerRange,
        seed);
  }

  /** The width of one attention head. */
  public int headDim() {
    return hiddenSize / numHeads;
  }

  /** Weights of the model with a vocabulary of {@code vocabSize} (tied embeddings). */
  public long parameters(int vocabSize) {
    long h = hiddenSize;
    long q = h;
    long kv = (long) numKvHeads * headDim();
    long perLayer =
        2 * h // the two RMSNorms
            + (q + 2 * kv) * h
            + (q + 2 * kv) // q/k/v with biases
            + h * q // o_proj
            + 3 * h * intermediateSize; // gate, up, down
    return (long) vocabSize * h + numLayers * perLayer + h;
  }
}
