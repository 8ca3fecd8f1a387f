package dev.deepresearcher.policy.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepresearcher.policy.ModelConfig;
import dev.deepresearcher.policy.PolicyException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * LoRA adapters for a Qwen2 model, as PEFT defines them: a targeted projection {@code y = x·Wᵀ}
 * becomes {@code y + s · dropout(x)·Aᵀ·Bᵀ} with A {@code [r, in]}, B {@code [out, r]} and {@code s
 * = α / r} ({@code α / √r} with rsLoRA). A starts Kaiming-uniform, B at zero, so new adapters leave
 * the model unchanged. Saved and loaded in PEFT's layout ({@code adapter_model.safetensors} with
 * {@code base_model.model.model.layers.N.self_attn.q_proj.lora_A.weight} keys, {@code
 * adapter_config.json}).
 */
public final class LoraAdapters implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "base_model.model.model.layers.";

  /** The projections that can carry adapters. */
  public enum Target {
    Q_PROJ("self_attn"),
    K_PROJ("self_attn"),
    V_PROJ("self_attn"),
    O_PROJ("self_attn"),
    GATE_PROJ("mlp"),
    UP_PROJ("mlp"),
    DOWN_PROJ("mlp");

    private final String block;

    Target(String block) {
      this.block = block;
    }

    /** PEFT's module name, e.g. {@code q_proj}. */
    public String module() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The module by PEFT's name. */
    public static Target of(String module) {
      for (Target t : values()) {
        if (t.module().equals(module)) {
          return t;
        }
      }
      throw new PolicyException(
          "'"
              + module
              + "' is not a Qwen2 projection LoRA can target; use q_proj, k_proj, v_proj,"
              + " o_proj, gate_proj, up_proj or down_proj");
    }

    long in(ModelConfig c) {
      return switch (this) {
        case Q_PROJ, K_PROJ, V_PROJ, GATE_PROJ, UP_PROJ -> c.hiddenSize();
        case O_PROJ -> (long) c.numHeads() * c.headDim();
        case DOWN_PROJ -> c.intermediateSize();
      };
    }

    long out(ModelConfig c) {
      return switch (this) {
        case Q_PROJ -> (long) c.numHeads() * c.headDim();
        case K_PROJ, V_PROJ -> (long) c.numKvHeads() * c.headDim();
        case O_PROJ, DOWN_PROJ -> c.hiddenSize();
        case GATE_PROJ, UP_PROJ -> c.intermediateSize();
      };
    }

    /** The key of this module's matrix in PEFT's file, {@code a} true for lora_A. */
    String peftKey(int layer, boolean a) {
      return PREFIX
          + layer
          + "."
          + block
          + "."
          + module()
          + (a ? ".lora_A.weight" : ".lora_B.weight");
    }

    /** The Hugging Face name of the base weight. */
    String baseName(int layer) {
      return "model.layers." + layer + "." + block + "." + module() + ".weight";
    }
  }

  /**
   * The adapters' shape.
   *
   * @param rank r
   * @param alpha α
   * @param dropout dropout on x while training
   * @param targets the adapted projections
   * @param rslora scale by {@code α / √r} instead of {@code α / r}
   */
  public record Settings(
      int rank, double alpha, double dropout, List<Target> targets, boolean rslora) {
    public Settings {
      targets = List.copyOf(targets);
    }

    double scale() {
      return rslora ? alpha / Math.sqrt(rank) : alpha / rank;
    }
  }

  private final ModelConfig config;
  private final Settings settings;
  private final NDManager manager;
  private final NDArray[][] a; // [layer][target]: [r, in] or null
  private final NDArray[][] b; // [layer][target]: [out, r] or null
  private final float scale;

  private LoraAdapters(ModelConfig config, Settings settings, NDManager manager) {
    this.config = config;
    this.settings = settings;
    this.manager = manager;
    int n = Target.values().length;
    this.a = new NDArray[config.numLayers()][n];
    this.b = new NDArray[config.numLayers()][n];
    this.scale = (float) settings.scale();
  }

  /** New adapters: A Kaiming-uniform (as PEFT: bound 1/√in) from {@code seed}, B zero. */
  public static LoraAdapters create(
      ModelConfig config, Settings settings, long seed, Device device) {
    LoraAdapters lora = new LoraAdapters(config, settings, NDManager.newBaseManager(device));
    SplittableRandom random = new SplittableRandom(seed);
    int r = settings.rank();
    for (int l = 0; l < config.numLayers(); l++) {
      for (Target t : settings.targets()) {
        int in = Math.toIntExact(t.in(config));
        float bound = (float) (1.0 / Math.sqrt(in));
        float[] values = new float[r * in];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (random.nextDouble(-1, 1) * bound);
        }
        lora.a[l][t.ordinal()] = lora.manager.create(values, new Shape(r, in));
        lora.b[l][t.ordinal()] = lora.manager.zeros(new Shape(t.out(config), r));
      }
    }
    lora.nameAll();
    return lora;
  }

  /** Loads PEFT adapters saved by us or by PEFT for this model. */
  public static LoraAdapters load(Path dir, ModelConfig config, Device device) {
    Path configFile = dir.resolve("adapter_config.json");
    Path weights = dir.resolve("adapter_model.safetensors");
    if (!Files.exists(configFile) || !Files.exists(weights)) {
      throw new PolicyException(
          dir
              + " holds no PEFT adapter (adapter_config.json and adapter_model.safetensors); give"
              + " the folder an adapter was saved to");
    }
    Settings settings = readConfig(configFile);
    LoraAdapters lora = new LoraAdapters(config, settings, NDManager.newBaseManager(device));
    try (Safetensors st = Safetensors.open(weights)) {
      for (String key : st.entries().keySet()) {
        String plain = key.replace(".default.weight", ".weight");
        if (!plain.startsWith(PREFIX)) {
          throw new PolicyException(weights + ": unexpected tensor " + key + " in a LoRA adapter");
        }
      }
      for (int l = 0; l < config.numLayers(); l++) {
        for (Target t : settings.targets()) {
          lora.a[l][t.ordinal()] = lora.read(st, t.peftKey(l, true), settings.rank(), t.in(config));
          lora.b[l][t.ordinal()] =
              lora.read(st, t.peftKey(l, false), t.out(config), settings.rank());
        }
      }
    } catch (RuntimeException e) {
      lora.close();
      throw e;
    }
    lora.nameAll();
    return lora;
  }

  private NDArray read(Safetensors st, String key, long rows, long cols) {
    String name = st.entries().containsKey(key) ? key : key.replace(".weight", ".default.weight");
    Safetensors.Entry e = st.entries().get(name);
    if (e == null) {
      throw new PolicyException(
          st.file() + " has no " + key + " though adapter_config.json targets that module");
    }
    if (!Arrays.equals(e.shape(), new long[] {rows, cols})) {
      throw new PolicyException(
          key
              + " has shape "
              + Arrays.toString(e.shape())
              + ", but this model and r = "
              + settings.rank()
              + " need ["
              + rows
              + ", "
              + cols
              + "]: the adapter belongs to another model");
    }
    ByteBuffer data = st.floats(name, 0, e.elements());
    return manager.create(data, new Shape(rows, cols), DataType.FLOAT32);
  }

  private static Settings readConfig(Path file) {
    JsonNode c;
    try {
      c = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new PolicyException("cannot read " + file + ": " + e.getMessage(), e);
    }
    String where = file + ": ";
    if (!"LORA".equals(c.path("peft_type").asText("LORA"))) {
      throw new PolicyException(where + "peft_type is " + c.get("peft_type") + "; only LORA loads");
    }
    if (c.path("use_dora").asBoolean(false)) {
      throw new PolicyException(where + "DoRA adapters (use_dora) are not supported; use LoRA");
    }
    if (c.path("fan_in_fan_out").asBoolean(false)) {
      throw new PolicyException(where + "fan_in_fan_out is for GPT-2 style Conv1D; Qwen2 has none");
    }
    if (!c.path("bias").asText("none").equals("none")) {
      throw new PolicyException(
          where + "adapters that train biases (bias != none) are not supported");
    }
    for (String field : new String[] {"rank_pattern", "alpha_pattern"}) {
      if (c.has(field) && c.get(field).isObject() && !c.get(field).isEmpty()) {
        throw new PolicyException(where + field + " (per-module ranks) is not supported");
      }
    }
    // Newer PEFT fields that change what an adapter does: refuse rather than misread them.
    for (String field :
        new String[] {
          "modules_to_save",
          "layers_to_transform",
          "layer_replication",
          "trainable_token_indices",
          "target_parameters",
          "exclude_modules",
          "use_qalora",
          "use_bdlora",
          "lora_bias"
        }) {
      JsonNode v = c.get(field);
      if (v != null && !v.isNull() && !(v.isBoolean() && !v.asBoolean())) {
        throw new PolicyException(
            where + field + " is set (" + v + "); only plain LoRA on whole projections loads");
      }
    }
    JsonNode targets = c.get("target_modules");
    if (targets == null || !targets.isArray()) {
      throw new PolicyException(
          where
              + "target_modules must be a list of module names (e.g. [\"q_proj\", \"v_proj\"]),"
              + " not "
              + targets);
    }
    List<Target> list = new ArrayList<>();
    for (JsonNode t : targets) {
      list.add(Target.of(t.asText()));
    }
    list.sort(null);
    int r = c.path("r").asInt(0);
    if (r < 1) {
      throw new PolicyException(where + "r is " + c.get("r") + "; a LoRA rank is at least 1");
    }
    return new Settings(
        r,
        c.path("lora_alpha").asDouble(8),
        c.path("lora_dropout").asDouble(0),
        list,
        c.path("use_rslora").asBoolean(false));
  }

  /** Writes {@code adapter_model.safetensors} and {@code adapter_config.json} into {@code dir}. */
  public void save(Path dir, String baseModel) throws IOException {
    SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
    for (int l = 0; l < config.numLayers(); l++) {
      for (Target t : settings.targets()) {
        w.add(t.peftKey(l, true), SafetensorsWriter.f32(a[l][t.ordinal()]));
        w.add(t.peftKey(l, false), SafetensorsWriter.f32(b[l][t.ordinal()]));
      }
    }
    w.write(dir.resolve("adapter_model.safetensors"));
    ObjectNode c = JSON.createObjectNode();
    c.put("peft_type", "LORA");
    c.put("task_type", "CAUSAL_LM");
    c.put("base_model_name_or_path", baseModel);
    c.put("r", settings.rank());
    c.put("lora_alpha", settings.alpha());
    c.put("lora_dropout", settings.dropout());
    c.set(
        "target_modules",
        JSON.valueToTree(settings.targets().stream().map(Target::module).toList()));
    c.put("bias", "none");
    c.put("fan_in_fan_out", false);
    c.put("use_rslora", settings.rslora());
    c.put("use_dora", false);
    c.put("init_lora_weights", true);
    c.put("inference_mode", true);
    c.putNull("modules_to_save");
    c.putNull("layers_to_transform");
    c.putObject("rank_pattern");
    c.putObject("alpha_pattern");
    Files.writeString(
        dir.resolve("adapter_config.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c));
  }

  public Settings settings() {
    return settings;
  }

  /** The adapter matrices as leaves named by their PEFT keys, A then B per module. */
  public List<Qwen2Net.Leaf> leaves() {
    List<Qwen2Net.Leaf> out = new ArrayList<>();
    for (int l = 0; l < config.numLayers(); l++) {
      for (Target t : settings.targets()) {
        for (boolean isA : new boolean[] {true, false}) {
          NDArray m = isA ? a[l][t.ordinal()] : b[l][t.ordinal()];
          String key = t.peftKey(l, isA);
          out.add(
              new Qwen2Net.Leaf(key, m, List.of(new Qwen2Net.Part(key, 0, m.getShape().get(0)))));
        }
      }
    }
    return out;
  }

  /** {@code out + s · dropout(x)·Aᵀ·Bᵀ} for {@code target} of {@code layer}, or {@code out}. */
  NDArray add(NDArray out, NDArray x, int layer, Target target, boolean training) {
    NDArray d = delta(x, layer, target, training);
    return d == null ? out : out.add(d);
  }

  /**
   * The same for a fused projection whose output concatenates {@code targets} of the given widths;
   * modules without adapters contribute zeros.
   */
  NDArray addFused(
      NDArray out, NDArray x, int layer, boolean training, Target[] targets, long[] widths) {
    NDList parts = new NDList();
    boolean any = false;
    long[] shape = out.getShape().getShape();
    for (int i = 0; i < targets.length; i++) {
      NDArray d = delta(x, layer, targets[i], training);
      if (d == null) {
        shape[shape.length - 1] = widths[i];
        d = out.getManager().zeros(new Shape(shape));
      } else {
        any = true;
      }
      parts.add(d);
    }
    return any ? out.add(NDArrays.concat(parts, -1)) : out;
  }

  private NDArray delta(NDArray x, int layer, Target target, boolean training) {
    NDArray am = a[layer][target.ordinal()];
    if (am == null) {
      return null;
    }
    NDArray in = x;
    if (training && settings.dropout() > 0) {
      in = Dropout.dropout(x, (float) settings.dropout(), true).singletonOrThrow();
    }
    NDArray low = Qwen2Net.linear(in, am, null); // [..., r]
    return Qwen2Net.linear(low, b[layer][target.ordinal()], null).mul(scale); // [..., out]
  }

  /** Adds {@code s · B·A} to the base weights of {@code net}, in place (for export). */
  public void mergeInto(Qwen2Net net) {
    for (int l = 0; l < config.numLayers(); l++) {
      for (Target t : settings.targets()) {
        String base = t.baseName(l);
        NDArray w = net.parameters().get(base);
        try (NDManager m = manager.newSubManager()) {
          NDArray product = b[l][t.ordinal()].matMul(a[l][t.ordinal()]); // [out, in]
          product.attach(m);
          w.addi(product.mul(scale));
        }
      }
    }
  }

  /** Overwrites every matrix with the float32 values given under its PEFT key, in place. */
  public void set(Map<String, ByteBuffer> values) {
    for (Qwen2Net.Leaf leaf : leaves()) {
      ByteBuffer v = values.get(leaf.name());
      if (v == null || v.remaining() != leaf.array().getShape().size() * 4) {
        throw new PolicyException(
            "the adapter update has no "
                + leaf.name()
                + " of "
                + leaf.array().getShape()
                + ": it was made for other adapters");
      }
      leaf.array().set(v.duplicate().order(ByteOrder.nativeOrder()));
    }
  }

  /** Marks every matrix as trained (gradients wanted) or not. */
  public void requireGradients(boolean on) {
    for (NDArray[][] side : new NDArray[][][] {a, b}) {
      for (NDArray[] row : side) {
        for (NDArray m : row) {
          if (m != null) {
            m.setRequiresGradient(on);
          }
        }
      }
    }
  }

  private void nameAll() {
    for (int l = 0; l < config.numLayers(); l++) {
      for (Target t : Target.values()) {
        if (a[l][t.ordinal()] != null) {
          a[l][t.ordinal()].setName(t.peftKey(l, true));
          b[l][t.ordinal()].setName(t.peftKey(l, false));
        }
      }
    }
  }

  /** Native arrays the adapters' manager holds (their matrices when idle). */
  public int nativeArrays() {
    return manager.getManagedArrays().size();
  }

  @Override
  public void close() {
    manager.close();
  }
}
