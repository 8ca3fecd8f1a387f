package dev.deepresearcher.policy.factory.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON files of a tiny model folder, in the layout transformers writes for Qwen2: {@code
 * tokenizer.json} (a copy of Qwen2's normalizer, pre-tokenizer, post-processor and decoder around
 * our BPE model), {@code tokenizer_config.json}, {@code config.json} and {@code
 * generation_config.json}. Keys keep a fixed order, so the same input gives the same bytes.
 */
public final class FolderJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Two-space indent and {@code "key": value}, as Python's json.dump(indent=2) writes. */
  private static final ObjectWriter PRETTY =
      JSON.writer(
          new DefaultPrettyPrinter()
              .withObjectIndenter(new DefaultIndenter("  ", "\n"))
              .withArrayIndenter(new DefaultIndenter("  ", "\n"))
              .withSeparators(
                  Separators.createDefaultInstance()
                      .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

  private FolderJson() {}

  /** A new JSON object for the builders below and callers. */
  public static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** {@code node} as indented JSON with a final newline. */
  public static String write(ObjectNode node) {
    try {
      return PRETTY.writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code tokenizer.json}: added tokens with ids after the vocabulary (the special ones first),
   * NFC, Qwen2's split regex then byte-level, and a BPE model with the vocabulary and merges.
   */
  public static String tokenizerJson(
      List<String> vocab, List<String[]> merges, List<String> special, List<String> tags) {
    ObjectNode root = object();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    int id = vocab.size();
    for (String t : special) {
      addedToken(added, id++, t, true);
    }
    for (String t : tags) {
      addedToken(added, id++, t, false);
    }
    root.putObject("normalizer").put("type", "NFC");
    ObjectNode pre = root.putObject("pre_tokenizer");
    pre.put("type", "Sequence");
    ArrayNode steps = pre.putArray("pretokenizers");
    ObjectNode split = steps.addObject();
    split.put("type", "Split");
    split.putObject("pattern").put("Regex", ByteLevel.SPLIT_REGEX);
    split.put("behavior", "Isolated");
    split.put("invert", false);
    ObjectNode bytes = steps.addObject();
    bytes.put("type", "ByteLevel");
    bytes.put("add_prefix_space", false);
    bytes.put("trim_offsets", true);
    bytes.put("use_regex", false);
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "ByteLevel");
    post.put("add_prefix_space", false);
    post.put("trim_offsets", false);
    post.put("use_regex", false);
    ObjectNode decoder = root.putObject("decoder");
    decoder.put("type", "ByteLevel");
    decoder.put("add_prefix_space", true);
    decoder.put("trim_offsets", true);
    decoder.put("use_regex", true);
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.put("continuing_subword_prefix", "");
    model.put("end_of_word_suffix", "");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.put("ignore_merges", false);
    ObjectNode v = model.putObject("vocab");
    for (int i = 0; i < vocab.size(); i++) {
      if (!v.has(vocab.get(i))) {
        v.put(vocab.get(i), i);
      }
    }
    ArrayNode m = model.putArray("merges");
    for (String[] pair : merges) {
      m.addArray().add(pair[0]).add(pair[1]);
    }
    return write(root);
  }

  private static void addedToken(ArrayNode added, int id, String content, boolean special) {
    ObjectNode t = added.addObject();
    t.put("id", id);
    t.put("content", content);
    t.put("single_word", false);
    t.put("lstrip", false);
    t.put("rstrip", false);
    t.put("normalized", false);
    t.put("special", special);
  }

  /**
   * {@code tokenizer_config.json}: what transformers' {@code AutoTokenizer} and our chat template
   * loader read (end of turn as eos, {@code <|endoftext|>} as padding, no bos).
   */
  public static String tokenizerConfigJson(
      String eos, String pad, List<String> special, int modelMaxLength) {
    ObjectNode c = object();
    c.put("add_prefix_space", false);
    c.putNull("bos_token");
    c.put("clean_up_tokenization_spaces", false);
    c.put("eos_token", eos);
    c.put("errors", "replace");
    ArrayNode extra = c.putArray("extra_special_tokens");
    special.stream().filter(t -> !t.equals(pad)).forEach(extra::add);
    c.put("model_max_length", modelMaxLength);
    c.put("pad_token", pad);
    c.put("split_special_tokens", false);
    c.put("tokenizer_class", "Qwen2Tokenizer");
    c.putNull("unk_token");
    return write(c);
  }

  /**
   * {@code config.json} of a tied Qwen2 model in float32, as transformers 5 writes it (RoPE base
   * both in {@code rope_parameters} and at the top level, which transformers 4 reads).
   */
  public static String configJson(
      int vocabSize,
      int hiddenSize,
      int intermediateSize,
      int numLayers,
      int numHeads,
      int numKvHeads,
      int maxPositionEmbeddings,
      double ropeTheta,
      double initializerRange,
      int eosTokenId,
      int padTokenId) {
    ObjectNode c = object();
    c.putArray("architectures").add("Qwen2ForCausalLM");
    c.put("attention_dropout", 0.0);
    c.putNull("bos_token_id");
    c.put("dtype", "float32");
    c.put("eos_token_id", eosTokenId);
    c.put("hidden_act", "silu");
    c.put("hidden_size", hiddenSize);
    c.put("initializer_range", initializerRange);
    c.put("intermediate_size", intermediateSize);
    ArrayNode layerTypes = c.putArray("layer_types");
    for (int i = 0; i < numLayers; i++) {
      layerTypes.add("full_attention");
    }
    c.put("max_position_embeddings", maxPositionEmbeddings);
    c.put("max_window_layers", numLayers);
    c.put("model_type", "qwen2");
    c.put("num_attention_heads", numHeads);
    c.put("num_hidden_layers", numLayers);
    c.put("num_key_value_heads", numKvHeads);
    c.put("pad_token_id", padTokenId);
    c.put("rms_norm_eps", 1e-6);
    ObjectNode rope = c.putObject("rope_parameters");
    rope.put("rope_theta", ropeTheta);
    rope.put("rope_type", "default");
    c.put("rope_theta", ropeTheta);
    c.putNull("rope_scaling");
    c.putNull("sliding_window");
    c.put("tie_word_embeddings", true);
    c.put("use_cache", true);
    c.put("use_sliding_window", false);
    c.put("vocab_size", vocabSize);
    return write(c);
  }

  /** {@code generation_config.json}: the end of a turn stops generation. */
  public static String generationConfigJson(int eosTokenId, int padTokenId) {
    ObjectNode g = object();
    g.putNull("bos_token_id");
    g.put("eos_token_id", eosTokenId);
    g.put("pad_token_id", padTokenId);
    return write(g);
  }
}
