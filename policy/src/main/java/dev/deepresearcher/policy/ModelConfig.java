package dev.deepresearcher.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Qwen2 model's architecture, from its Hugging Face {@code config.json} (and {@code
 * generation_config.json} for the end-of-sequence ids).
 *
 * @param hiddenSize width of the residual stream
 * @param intermediateSize width of the MLP
 * @param numLayers decoder layers
 * @param numHeads attention heads
 * @param numKvHeads key/value heads (grouped-query attention)
 * @param headDim width of one head
 * @param vocabSize vocabulary size
 * @param rmsNormEps RMSNorm epsilon
 * @param ropeTheta rotary embedding base
 * @param tieWordEmbeddings whether the LM head reuses the embedding matrix
 * @param maxPositionEmbeddings longest sequence the model was configured for
 * @param eosTokenIds token ids that end generation
 * @param padTokenId the padding id, or -1
 */
public record ModelConfig(
    int hiddenSize,
    int intermediateSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int headDim,
    int vocabSize,
    double rmsNormEps,
    double ropeTheta,
    boolean tieWordEmbeddings,
    int maxPositionEmbeddings,
    List<Integer> eosTokenIds,
    int padTokenId) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public ModelConfig {
    eosTokenIds = List.copyOf(eosTokenIds);
    if (numHeads % numKvHeads != 0) {
      throw new IllegalArgumentException(
          "num_attention_heads ("
              + numHeads
              + ") must be a multiple of num_key_value_heads ("
              + numKvHeads
              + ")");
    }
  }

  /**
   * Reads {@code dir/config.json} (and {@code dir/generation_config.json} when present).
   *
   * @throws PolicyException for a missing file, an architecture other than Qwen2, or an unsupported
   *     setting, naming the key and the fix
   */
  public static ModelConfig load(Path dir) {
    Path file = dir.resolve("config.json");
    JsonNode c;
    try {
      c = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new PolicyException(
          dir
              + " is not a Hugging Face model folder: it has no config.json (expected config.json,"
              + " model.safetensors or model.safetensors.index.json, tokenizer.json)");
    } catch (IOException e) {
      throw new PolicyException("cannot read " + file + ": " + e.getMessage(), e);
    }
    String modelType = c.path("model_type").asText("");
    List<String> architectures = new ArrayList<>();
    c.path("architectures").forEach(a -> architectures.add(a.asText()));
    if (!modelType.equals("qwen2") && !architectures.contains("Qwen2ForCausalLM")) {
      throw new PolicyException(
          file
              + ": unsupported architecture "
              + (architectures.isEmpty() ? "(model_type '" + modelType + "')" : architectures)
              + "; this policy implements Qwen2/Qwen2.5 (Qwen2ForCausalLM, model_type qwen2)");
    }
    if (c.path("use_sliding_window").asBoolean(false)) {
      throw new PolicyException(
          file + ": use_sliding_window is true; sliding-window attention is not supported");
    }
    String act = c.path("hidden_act").asText("silu");
    if (!act.equals("silu")) {
      throw new PolicyException(
          file + ": hidden_act '" + act + "' is not supported (Qwen2 uses silu)");
    }
    double theta = ropeTheta(c, file);
    int hidden = required(c, "hidden_size", file);
    int heads = required(c, "num_attention_heads", file);
    int kvHeads =
        c.has("num_key_value_heads") && !c.get("num_key_value_heads").isNull()
            ? c.get("num_key_value_heads").asInt()
            : heads;
    int headDim =
        c.has("head_dim") && !c.get("head_dim").isNull()
            ? c.get("head_dim").asInt()
            : hidden / heads;
    Set<Integer> eos = new LinkedHashSet<>(ids(c.get("eos_token_id")));
    Path generation = dir.resolve("generation_config.json");
    if (Files.exists(generation)) {
      try {
        eos.addAll(ids(JSON.readTree(Files.readAllBytes(generation)).get("eos_token_id")));
      } catch (IOException e) {
        throw new PolicyException("cannot read " + generation + ": " + e.getMessage(), e);
      }
    }
    JsonNode pad = c.get("pad_token_id");
    return new ModelConfig(
        hidden,
        required(c, "intermediate_size", file),
        required(c, "num_hidden_layers", file),
        heads,
        kvHeads,
        headDim,
        required(c, "vocab_size", file),
        c.path("rms_norm_eps").asDouble(1e-6),
        theta,
        c.path("tie_word_embeddings").asBoolean(false),
        c.path("max_position_embeddings").asInt(32768),
        new ArrayList<>(eos),
        pad == null || pad.isNull() ? -1 : pad.asInt());
  }

  /** Top-level {@code rope_theta} (transformers 4), or {@code rope_parameters} (transformers 5). */
  private static double ropeTheta(JsonNode c, Path file) {
    JsonNode params = c.get("rope_parameters");
    JsonNode scaling = c.get("rope_scaling");
    for (JsonNode p : new JsonNode[] {params, scaling}) {
      if (p != null && p.isObject()) {
        String type =
            p.has("rope_type") ? p.get("rope_type").asText() : p.path("type").asText("default");
        if (!type.equals("default")) {
          throw new PolicyException(
              file
                  + ": rope type '"
                  + type
                  + "' is not supported; only the default rotary embedding is");
        }
      }
    }
    if (params != null && params.has("rope_theta")) {
      return params.get("rope_theta").asDouble();
    }
    if (c.has("rope_theta")) {
      return c.get("rope_theta").asDouble();
    }
    return 10000.0;
  }

  private static int required(JsonNode c, String key, Path file) {
    JsonNode v = c.get(key);
    if (v == null || !v.canConvertToInt()) {
      throw new PolicyException(file + ": missing or non-integer '" + key + "'");
    }
    return v.asInt();
  }

  private static List<Integer> ids(JsonNode node) {
    List<Integer> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asInt()));
    } else {
      out.add(node.asInt());
    }
    return out;
  }

  /** Query heads sharing one key/value head. */
  public int groups() {
    return numHeads / numKvHeads;
  }
}
