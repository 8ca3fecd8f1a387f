package dev.deepresearcher.policy.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
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
  /**
   * One decoder layer's weights. Linear weights keep Hugging Face's layout, {@code [out, in]}, and
   * are applied as {@code x·Wᵀ + b} in one fused call (PyTorch's {@code linear}); the q, k and v
   * projections are one matrix ({@code [q + 2kv, H]}, one bias) and so are the gate and up
   * projections ({@code [2I, H]}): one matrix product instead of three, or two, per layer.
   */
  public record Layer(
      NDArray inputNorm,
      NDArray wQkv,
      NDArray bQkv,
      NDArray wo,
      NDArray postNorm,
      NDArray wGateUp,
      NDArray wDown) {}

  /**
   * A stored weight array: what an optimizer updates. Fused arrays carry several Hugging Face
   * tensors, each a block of rows.
   *
   * @param name the Hugging Face name, or for a fused array a name of our own ({@code
   *     ...self_attn.qkv_proj.weight}, {@code ...mlp.gate_up_proj.weight})
   * @param array the weights
   * @param parts the Hugging Face tensors in it, in row order
   */
  public record Leaf(String name, NDArray array, List<Part> parts) {
    public Leaf {
      parts = List.copyOf(parts);
    }
  }

  /** Rows {@code [from, to)} of a leaf are the Hugging Face tensor {@code name}. */
  public record Part(String name, long from, long to) {}

  /**
   * Collects what loading reads: tensors by Hugging Face name (views for fused ones) and leaves.
   */
  private static final class Registry {
    final Map<String, NDArray> byName = new LinkedHashMap<>();
    final List<Leaf> leaves = new ArrayList<>();
  }

  /** How a forward pass treats LoRA adapters. */
  public enum Mode {
    /** Adapters on, no dropout: generation and scoring. */
    INFERENCE,
    /** Adapters on with their dropout, for a training step. */
    TRAINING,
    /** Adapters off: the base model, LoRA's reference policy. */
    BASE
  }

  private final ModelConfig config;
  private final NDManager manager;
  private final NDArray embed;
  private final NDArray lmHead;
  private final NDArray finalNorm;
  private final Layer[] layers;
  private final float[] invFreq;
  private final NDArray rotateHalf;
  private final Map<String, NDArray> parameters;
  private final List<Leaf> leaves;
  private volatile LoraAdapters adapters;

  private Qwen2Net(
      ModelConfig config,
      NDManager manager,
      NDArray embed,
      NDArray lmHead,
      NDArray finalNorm,
      Layer[] layers,
      Map<String, NDArray> parameters,
      List<Leaf> leaves) {
    this.config = config;
    this.manager = manager;
    this.embed = embed;
    this.lmHead = lmHead;
    this.finalNorm = finalNorm;
    this.layers = layers;
    this.parameters = parameters;
    this.leaves = List.copyOf(leaves);
    this.rotateHalf = rotateHalf(manager, config.headDim());
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
      Registry params = new Registry();
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
        head = embed;
      } else {
        head =
            tensor(
                ckpt, manager, "lm_head.weight", params, config.vocabSize(), config.hiddenSize());
      }
      Layer[] layers = new Layer[config.numLayers()];
      int h = config.hiddenSize();
      int q = config.numHeads() * config.headDim();
      int kv = config.numKvHeads() * config.headDim();
      int inter = config.intermediateSize();
      for (int l = 0; l < layers.length; l++) {
        String p = "model.layers." + l + ".";
        String attn = p + "self_attn.";
        String mlp = p + "mlp.";
        NDArray wQkv =
            fused(
                manager,
                params,
                attn + "qkv_proj.weight",
                new String[] {
                  attn + "q_proj.weight", attn + "k_proj.weight", attn + "v_proj.weight"
                },
                new long[] {q, kv, kv},
                tensor(ckpt, manager, attn + "q_proj.weight", null, q, h),
                tensor(ckpt, manager, attn + "k_proj.weight", null, kv, h),
                tensor(ckpt, manager, attn + "v_proj.weight", null, kv, h));
        NDArray bQkv =
            fused(
                manager,
                params,
                attn + "qkv_proj.bias",
                new String[] {attn + "q_proj.bias", attn + "k_proj.bias", attn + "v_proj.bias"},
                new long[] {q, kv, kv},
                tensor(ckpt, manager, attn + "q_proj.bias", null, q),
                tensor(ckpt, manager, attn + "k_proj.bias", null, kv),
                tensor(ckpt, manager, attn + "v_proj.bias", null, kv));
        NDArray wGateUp =
            fused(
                manager,
                params,
                mlp + "gate_up_proj.weight",
                new String[] {mlp + "gate_proj.weight", mlp + "up_proj.weight"},
                new long[] {inter, inter},
                tensor(ckpt, manager, mlp + "gate_proj.weight", null, inter, h),
                tensor(ckpt, manager, mlp + "up_proj.weight", null, inter, h));
        layers[l] =
            new Layer(
                tensor(ckpt, manager, p + "input_layernorm.weight", params, h),
                wQkv,
                bQkv,
                tensor(ckpt, manager, attn + "o_proj.weight", params, h, q),
                tensor(ckpt, manager, p + "post_attention_layernorm.weight", params, h),
                wGateUp,
                tensor(ckpt, manager, mlp + "down_proj.weight", params, h, inter));
      }
      NDArray norm = tensor(ckpt, manager, "model.norm.weight", params, h);
      return new Qwen2Net(config, manager, embed, head, norm, layers, params.byName, params.leaves);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Concatenates {@code parts} along their first axis into one array and closes the parts; the
   * parameter map gets each part's name bound to a view of the concatenation.
   */
  private static NDArray fused(
      NDManager manager,
      Registry params,
      String leafName,
      String[] names,
      long[] rows,
      NDArray... parts) {
    NDArray all = NDArrays.concat(new NDList(parts), 0);
    for (NDArray part : parts) {
      part.close();
    }
    all.setName(leafName);
    List<Part> rowsOf = new ArrayList<>();
    long start = 0;
    for (int i = 0; i < names.length; i++) {
      NDArray view = all.get(manager, new NDIndex("{}:{}", start, start + rows[i]));
      view.setName(names[i]);
      params.byName.put(names[i], view);
      rowsOf.add(new Part(names[i], start, start + rows[i]));
      start += rows[i];
    }
    params.leaves.add(new Leaf(leafName, all, rowsOf));
    return all;
  }

  /** Reads one tensor, checking its shape, in parts when it is larger than one buffer can hold. */
  private static NDArray tensor(
      Checkpoint ckpt, NDManager manager, String name, Registry params, long... shape) {
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
    if (params != null) {
      params.byName.put(name, out);
      params.leaves.add(new Leaf(name, out, List.of(new Part(name, 0, shape[0]))));
    }
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

  /** The stored weight arrays, each once (a tied LM head is the embedding's leaf). */
  public List<Leaf> leaves() {
    return leaves;
  }

  /**
   * Installs LoRA adapters used by every later forward pass but {@link Mode#BASE}; null removes.
   */
  public void setAdapters(LoraAdapters adapters) {
    this.adapters = adapters;
  }

  public LoraAdapters adapters() {
    return adapters;
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
    return forward(m, ids, positions, keyMask, cache, lastOnly, keepHidden, Mode.INFERENCE);
  }

  /** As {@link #forward(NDManager, long[][], long[][], int[][], KvCache, boolean, boolean)}. */
  public Output forward(
      NDManager m,
      long[][] ids,
      long[][] positions,
      int[][] keyMask,
      KvCache cache,
      boolean lastOnly,
      boolean keepHidden,
      Mode mode) {
    LoraAdapters lora = mode == Mode.BASE ? null : adapters;
    boolean training = mode == Mode.TRAINING;
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
    NDArray mask = needsMask(keyMask, past, t) ? mask(m, keyMask, past, t) : null; // [B,1,1,T,S]
    for (int l = 0; l < layers.length; l++) {
      // A layer's intermediates are freed as soon as the layer is done rather than with the step,
      // so memory stays at one layer's worth and PyTorch's allocator reuses warm blocks.
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        hidden = layer(m, l, hidden, rope, mask, cache, lora, training);
        NDScope.unregister(hidden);
      }
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
    return new Output(linear(last, lmHead, null), states);
  }

  private NDArray layer(
      NDManager m,
      int index,
      NDArray x,
      NDArray[] rope,
      NDArray mask,
      KvCache cache,
      LoraAdapters lora,
      boolean training) {
    Layer w = layers[index];
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    int nh = config.numHeads();
    int nkv = config.numKvHeads();
    int hd = config.headDim();

    NDArray h = rmsNorm(x, w.inputNorm());
    // One projection for all heads, [B, T, (nh + 2 nkv) hd] → [B, nh + 2 nkv, T, hd]: the query
    // heads, then the key heads, then the value heads. RoPE turns queries and keys in one go.
    NDArray qkv = linear(h, w.wQkv(), w.bQkv());
    if (lora != null) {
      qkv =
          lora.addFused(
              qkv,
              h,
              index,
              training,
              new LoraAdapters.Target[] {
                LoraAdapters.Target.Q_PROJ, LoraAdapters.Target.K_PROJ, LoraAdapters.Target.V_PROJ
              },
              new long[] {(long) nh * hd, (long) nkv * hd, (long) nkv * hd});
    }
    NDArray heads = qkv.reshape(b, t, nh + 2L * nkv, hd).transpose(0, 2, 1, 3);
    NDList qk =
        applyRope(heads.get(m, new NDIndex(":, :{}", nh + nkv)), rope).split(new long[] {nh}, 1);
    NDArray q = qk.get(0); // [B, nh, T, hd]
    NDArray k = qk.get(1); // [B, nkv, T, hd]
    NDArray v = heads.get(m, new NDIndex(":, {}:", nh + nkv)); // [B, nkv, T, hd]
    if (cache != null) {
      NDArray[] kvAll = cache.append(m, index, k, v);
      k = kvAll[0];
      v = kvAll[1];
    }
    // Grouped-query attention without copying keys and values per query head: the g query heads
    // that share a kv head are stacked along the position axis (head h uses kv head h / g).
    int g = config.groups();
    long s = k.getShape().get(2);
    // Scaling q (T rows) rather than the scores (T x S) saves a pass over the largest array.
    NDArray qg = q.mul(1.0 / Math.sqrt(hd)).reshape(b, nkv, g * t, hd);
    NDArray scores = qg.matMul(k.transpose(0, 1, 3, 2)); // [B, nkv, g*T, S]
    if (mask != null) {
      scores = scores.reshape(b, nkv, g, t, s).add(mask); // mask [B, 1, 1, T, S]
    }
    NDArray attn = scores.softmax(-1).reshape(b, nkv, g * t, s).matMul(v); // [B, nkv, g*T, hd]
    // [B, nh, T, hd] → [B, T, nh * hd]; with one position the two layouts are the same memory.
    NDArray out =
        t == 1
            ? attn.reshape(b, 1, (long) nh * hd)
            : attn.reshape(b, nh, t, hd).transpose(0, 2, 1, 3).reshape(b, t, (long) nh * hd);
    NDArray projected = linear(out, w.wo(), null);
    if (lora != null) {
      projected = lora.add(projected, out, index, LoraAdapters.Target.O_PROJ, training);
    }
    out = projected;
    NDArray r = x.add(out);

    NDArray h2 = rmsNorm(r, w.postNorm());
    NDArray gateUpOut = linear(h2, w.wGateUp(), null);
    if (lora != null) {
      long inter = config.intermediateSize();
      gateUpOut =
          lora.addFused(
              gateUpOut,
              h2,
              index,
              training,
              new LoraAdapters.Target[] {
                LoraAdapters.Target.GATE_PROJ, LoraAdapters.Target.UP_PROJ
              },
              new long[] {inter, inter});
    }
    NDList gateUp = gateUpOut.split(2, 2); // [B, T, I] each
    NDArray gate = gateUp.get(0);
    NDArray act = gate.mul(Activation.sigmoid(gate)).mul(gateUp.get(1)); // silu(gate) * up
    NDArray mlp = linear(act, w.wDown(), null);
    if (lora != null) {
      mlp = lora.add(mlp, act, index, LoraAdapters.Target.DOWN_PROJ, training);
    }
    return r.add(mlp);
  }

  /** {@code x·Wᵀ + b} with W as {@code [out, in]}: one fused call, as transformers' Linear. */
  static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
    return Linear.linear(x, weight, bias).singletonOrThrow();
  }

  private NDArray rmsNorm(NDArray x, NDArray weight) {
    NDArray variance = x.square().mean(new int[] {-1}, true);
    return x.div(variance.add(config.rmsNormEps()).sqrt()).mul(weight);
  }

  /**
   * x·cos + rotate_half(x)·sin, rotate_half(x) = [−x₂, x₁] computed as x·R with the signed
   * permutation R ({@code [hd, hd]}): one exact product instead of two slices, a negation and a
   * concatenation.
   */
  private NDArray applyRope(NDArray x, NDArray[] rope) {
    return x.mul(rope[0]).add(x.matMul(rotateHalf).mul(rope[1]));
  }

  /** R with x·R = rotate_half(x): R[j + half, j] = −1 and R[j, j + half] = 1. */
  private static NDArray rotateHalf(NDManager manager, int hd) {
    int half = hd / 2;
    float[] r = new float[hd * hd];
    for (int j = 0; j < half; j++) {
      r[(j + half) * hd + j] = -1f;
      r[j * hd + j + half] = 1f;
    }
    return manager.create(r, new Shape(hd, hd));
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
   * The additive attention mask, {@code [B, 1, 1, T, S]} (broadcast over kv heads and the query
   * heads of a group): 0 where a new position may attend (causal, not padding), the lowest float
   * elsewhere. A padding row that may attend nowhere gets a uniform (not NaN) softmax.
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
    return m.create(mask, new Shape(b, 1, 1, t, s));
  }

  /** Whether any key is hidden from any new position: by causality (T > 1) or by padding. */
  static boolean needsMask(int[][] keyMask, int past, int t) {
    if (t > 1) {
      return true;
    }
    for (int[] row : keyMask) {
      for (int k = 0; k < past + t; k++) {
        if (row[k] != 1) {
          return true;
        }
      }
    }
    return false;
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
