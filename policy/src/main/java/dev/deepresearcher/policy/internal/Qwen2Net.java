package dev.deepresearcher.policy.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.deepresearcher.policy.ModelConfig;
import dev.deepresearcher.policy.PolicyException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Qwen2 decoder in DJL operations: token embeddings, per layer RMSNorm → grouped-query
 * attention with q/k/v biases and rotary positions → residual → RMSNorm → SwiGLU MLP → residual,
 * then a final RMSNorm and the LM head (the embedding matrix when tied). Float32.
 *
 * <p>Shapes: B sequences, T new positions, S = past + T positions attended to, H hidden size, nh
 * query heads, nkv key/value heads, hd head width, V vocabulary.
 */
public final class Qwen2Net implements AutoCloseable {
  /** One decoder layer's weights; linear weights are stored transposed, {@code [in, out]}. */
  public record Layer(
      NDArray inputNorm,
      NDArray wq,
      NDArray bq,
      NDArray wk,
      NDArray bk,
      NDArray wv,
      NDArray bv,
      NDArray wo,
      NDArray postNorm,
      NDArray wGate,
      NDArray wUp,
      NDArray wDown) {}

  private final ModelConfig config;
  private final NDManager manager;
  private final NDArray embed;
  private final NDArray lmHead;
  private final NDArray finalNorm;
  private final Layer[] layers;
  private final float[] invFreq;
  private final Map<String, NDArray> parameters;

  private Qwen2Net(
      ModelConfig config,
      NDManager manager,
      NDArray embed,
      NDArray lmHead,
      NDArray finalNorm,
      Layer[] layers,
      Map<String, NDArray> parameters) {
    this.config = config;
    this.manager = manager;
    this.embed = embed;
    this.lmHead = lmHead;
    this.finalNorm = finalNorm;
    this.layers = layers;
    this.parameters = parameters;
    int hd = config.headDim();
    invFreq = new float[hd / 2];
    for (int i = 0; i < hd / 2; i++) {
      // As transformers computes it, in float32: 1 / base ** (arange(0, hd, 2) / hd).
      float exponent = (float) (2 * i) / hd;
      invFreq[i] = (float) (1.0 / (float) Math.pow(config.ropeTheta(), exponent));
    }
  }

  /** Loads the weights of {@code dir} onto {@code device}. */
  public static Qwen2Net load(Path dir, ModelConfig config, Device device) {
    NDManager manager = NDManager.newBaseManager(device);
    try (Checkpoint ckpt = Checkpoint.open(dir)) {
      Map<String, NDArray> params = new LinkedHashMap<>();
      NDArray embed =
          tensor(
              ckpt,
              manager,
              "model.embed_tokens.weight",
              params,
              config.vocabSize(),
              config.hiddenSize());
      NDArray head;
      if (config.tieWordEmbeddings() || !ckpt.has("lm_head.weight")) {
        if (!config.tieWordEmbeddings()) {
          throw new PolicyException(
              dir + ": tie_word_embeddings is false but there is no lm_head.weight");
        }
        head = embed.transpose();
      } else {
        head =
            tensor(ckpt, manager, "lm_head.weight", params, config.vocabSize(), config.hiddenSize())
                .transpose();
      }
      Layer[] layers = new Layer[config.numLayers()];
      int h = config.hiddenSize();
      int q = config.numHeads() * config.headDim();
      int kv = config.numKvHeads() * config.headDim();
      int inter = config.intermediateSize();
      for (int l = 0; l < layers.length; l++) {
        String p = "model.layers." + l + ".";
        layers[l] =
            new Layer(
                tensor(ckpt, manager, p + "input_layernorm.weight", params, h),
                tensor(ckpt, manager, p + "self_attn.q_proj.weight", params, q, h).transpose(),
                tensor(ckpt, manager, p + "self_attn.q_proj.bias", params, q),
                tensor(ckpt, manager, p + "self_attn.k_proj.weight", params, kv, h).transpose(),
                tensor(ckpt, manager, p + "self_attn.k_proj.bias", params, kv),
                tensor(ckpt, manager, p + "self_attn.v_proj.weight", params, kv, h).transpose(),
                tensor(ckpt, manager, p + "self_attn.v_proj.bias", params, kv),
                tensor(ckpt, manager, p + "self_attn.o_proj.weight", params, h, q).transpose(),
                tensor(ckpt, manager, p + "post_attention_layernorm.weight", params, h),
                tensor(ckpt, manager, p + "mlp.gate_proj.weight", params, inter, h).transpose(),
                tensor(ckpt, manager, p + "mlp.up_proj.weight", params, inter, h).transpose(),
                tensor(ckpt, manager, p + "mlp.down_proj.weight", params, h, inter).transpose());
      }
      NDArray norm = tensor(ckpt, manager, "model.norm.weight", params, h);
      return new Qwen2Net(config, manager, embed, head, norm, layers, params);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Reads one tensor, checking its shape, in parts when it is larger than one buffer can hold. */
  private static NDArray tensor(
      Checkpoint ckpt, NDManager manager, String name, Map<String, NDArray> params, long... shape) {
    if (!ckpt.has(name)) {
      throw new PolicyException(
          "the checkpoint has no tensor " + name + " (is this a Qwen2 model?)");
    }
    Safetensors.Entry e = ckpt.entry(name);
    if (!Arrays.equals(e.shape(), shape)) {
      throw new PolicyException(
          name
              + " has shape "
              + Arrays.toString(e.shape())
              + " but config.json implies "
              + Arrays.toString(shape));
    }
    long n = e.elements();
    long chunk = 1L << 28; // 1 GiB of float32 per part
    NDArray out;
    if (n <= chunk) {
      ByteBuffer data = ckpt.floats(name, 0, n);
      out = manager.create(data, new Shape(shape), DataType.FLOAT32);
    } else {
      long rowSize = n / shape[0];
      long rowsPerPart = Math.max(1, chunk / rowSize);
      NDList parts = new NDList();
      for (long row = 0; row < shape[0]; row += rowsPerPart) {
        long rows = Math.min(rowsPerPart, shape[0] - row);
        long[] partShape = shape.clone();
        partShape[0] = rows;
        parts.add(
            manager.create(
                ckpt.floats(name, row * rowSize, rows * rowSize),
                new Shape(partShape),
                DataType.FLOAT32));
      }
      out = NDArrays.concat(parts, 0);
      parts.close();
    }
    out.setName(name);
    params.put(name, out);
    return out;
  }

  public ModelConfig config() {
    return config;
  }

  public NDManager manager() {
    return manager;
  }

  /** The parameters by Hugging Face name, as stored (linear weights {@code [out, in]}). */
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  /** Everything a forward pass produces that callers may want. */
  public record Output(NDArray logits, List<NDArray> hiddenStates) {}

  /**
   * One forward pass over {@code T} new positions of {@code B} sequences.
   *
   * @param ids token ids, {@code [B, T]}
   * @param positions rotary positions, {@code [B][T]}
   * @param keyMask for each sequence, 1 for every real position and 0 for padding over (at least)
   *     the {@code S} positions the new ones may attend to (past and new), {@code [B][≥S]}
   * @param cache past keys and values (appended to), or {@code null} for no past
   * @param lastOnly compute logits of the last position only ({@code [B, 1, V]})
   * @param keepHidden also return the hidden states after the embedding, each layer and the norm
   */
  public Output forward(
      NDManager m,
      long[][] ids,
      long[][] positions,
      int[][] keyMask,
      KvCache cache,
      boolean lastOnly,
      boolean keepHidden) {
    int b = ids.length;
    int t = ids[0].length;
    int past = cache == null ? 0 : cache.length();
    NDArray idArray = m.create(flatten(ids), new Shape(b, t));
    // Indexing puts its result on the indexed array's manager unless told: keep it in this call's.
    NDArray hidden = embed.get(m, new NDIndex("{}", idArray)); // [B, T, H]
    List<NDArray> states = new ArrayList<>();
    if (keepHidden) {
      states.add(hidden);
    }
    NDArray[] rope = rope(m, positions); // cos, sin: [B, 1, T, hd]
    NDArray mask = mask(m, keyMask, past, t); // [B, 1, T, S]
    for (int l = 0; l < layers.length; l++) {
      hidden = layer(m, l, hidden, rope, mask, cache);
      if (keepHidden) {
        states.add(hidden);
      }
    }
    if (cache != null) {
      cache.advance(t);
    }
    NDArray normed = rmsNorm(hidden, finalNorm);
    if (keepHidden) {
      states.add(normed);
    }
    NDArray last = lastOnly ? normed.get(new NDIndex(":, -1:, :")) : normed;
    return new Output(last.matMul(lmHead), states);
  }

  private NDArray layer(
      NDManager m, int index, NDArray x, NDArray[] rope, NDArray mask, KvCache cache) {
    Layer w = layers[index];
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    int nh = config.numHeads();
    int nkv = config.numKvHeads();
    int hd = config.headDim();

    NDArray h = rmsNorm(x, w.inputNorm());
    NDArray q = h.matMul(w.wq()).add(w.bq()).reshape(b, t, nh, hd).transpose(0, 2, 1, 3);
    NDArray k = h.matMul(w.wk()).add(w.bk()).reshape(b, t, nkv, hd).transpose(0, 2, 1, 3);
    NDArray v = h.matMul(w.wv()).add(w.bv()).reshape(b, t, nkv, hd).transpose(0, 2, 1, 3);
    q = applyRope(q, rope);
    k = applyRope(k, rope);
    if (cache != null) {
      NDArray[] kvAll = cache.append(m, index, k, v);
      k = kvAll[0];
      v = kvAll[1];
    }
    // Grouped-query attention without copying keys and values per query head: the g query heads
    // that share a kv head are stacked along the position axis (head h uses kv head h / g).
    int g = config.groups();
    long s = k.getShape().get(2);
    NDArray qg = q.reshape(b, nkv, g * t, hd);
    NDArray scores =
        qg.matMul(k.transpose(0, 1, 3, 2)) // [B, nkv, g*T, S]
            .mul(1.0 / Math.sqrt(hd))
            .reshape(b, nkv, g, t, s)
            .add(mask.expandDims(1)); // mask [B, 1, 1, T, S]
    NDArray attn = scores.softmax(-1).reshape(b, nkv, g * t, s).matMul(v); // [B, nkv, g*T, hd]
    NDArray out =
        attn.reshape(b, nh, t, hd)
            .transpose(0, 2, 1, 3)
            .reshape(b, t, (long) nh * hd)
            .matMul(w.wo());
    NDArray r = x.add(out);

    NDArray h2 = rmsNorm(r, w.postNorm());
    NDArray gate = h2.matMul(w.wGate());
    NDArray mlp =
        gate.mul(Activation.sigmoid(gate))
            .mul(h2.matMul(w.wUp()))
            .matMul(w.wDown()); // silu(gate) * up
    return r.add(mlp);
  }

  private NDArray rmsNorm(NDArray x, NDArray weight) {
    NDArray variance = x.square().mean(new int[] {-1}, true);
    return x.div(variance.add(config.rmsNormEps()).sqrt()).mul(weight);
  }

  /** q·cos + rotate_half(q)·sin, rotate_half(x) = [−x₂, x₁]. */
  private NDArray applyRope(NDArray x, NDArray[] rope) {
    int half = config.headDim() / 2;
    NDArray x1 = x.get(new NDIndex("..., :{}", half));
    NDArray x2 = x.get(new NDIndex("..., {}:", half));
    NDArray rotated = x2.neg().concat(x1, -1);
    return x.mul(rope[0]).add(rotated.mul(rope[1]));
  }

  /** cos and sin of every position's angles, {@code [B, 1, T, hd]}. */
  NDArray[] rope(NDManager m, long[][] positions) {
    int b = positions.length;
    int t = positions[0].length;
    int hd = config.headDim();
    int half = hd / 2;
    float[] cos = new float[b * t * hd];
    float[] sin = new float[b * t * hd];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        float pos = positions[i][j];
        int base = (i * t + j) * hd;
        for (int k = 0; k < half; k++) {
          float angle = invFreq[k] * pos; // float32 product, as transformers computes it
          float c = (float) Math.cos(angle);
          float s = (float) Math.sin(angle);
          cos[base + k] = c;
          cos[base + k + half] = c;
          sin[base + k] = s;
          sin[base + k + half] = s;
        }
      }
    }
    Shape shape = new Shape(b, 1, t, hd);
    return new NDArray[] {m.create(cos, shape), m.create(sin, shape)};
  }

  /**
   * The additive attention mask: 0 where a new position may attend (causal, not padding), the
   * lowest float elsewhere. A padding row that may attend nowhere gets a uniform (not NaN) softmax.
   */
  static NDArray mask(NDManager m, int[][] keyMask, int past, int t) {
    int b = keyMask.length;
    int s = past + t;
    if (keyMask[0].length < s) {
      throw new IllegalArgumentException(
          "key mask covers "
              + keyMask[0].length
              + " positions, fewer than past "
              + past
              + " + new "
              + t);
    }
    float[] mask = new float[b * t * s];
    float blocked = -Float.MAX_VALUE;
    for (int i = 0; i < b; i++) {
      for (int q = 0; q < t; q++) {
        int row = (i * t + q) * s;
        for (int k = 0; k < s; k++) {
          boolean allowed = k <= past + q && keyMask[i][k] == 1;
          mask[row + k] = allowed ? 0f : blocked;
        }
      }
    }
    return m.create(mask, new Shape(b, 1, t, s));
  }

  private static long[] flatten(long[][] a) {
    int cols = a[0].length;
    long[] out = new long[a.length * cols];
    for (int i = 0; i < a.length; i++) {
      System.arraycopy(a[i], 0, out, i * cols, cols);
    }
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
