package dev.deepresearcher.policy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.deepresearcher.core.config.PolicyConfig;
import dev.deepresearcher.core.config.PolicyDevice;
import dev.deepresearcher.policy.internal.Devices;
import dev.deepresearcher.policy.internal.Generator;
import dev.deepresearcher.policy.internal.LoraAdapters;
import dev.deepresearcher.policy.internal.Qwen2Net;
import dev.deepresearcher.policy.internal.WeightsPayload;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * A Qwen2 / Qwen2.5 policy loaded from a Hugging Face model folder: its tokenizer, its chat
 * template and batched generation with a KV cache. Holds the weights in native memory until closed.
 *
 * <pre>{@code
 * try (Policy policy = Policy.load(Path.of("models/Qwen2.5-0.5B-Instruct"), PolicyDevice.AUTO, 0)) {
 *   String prompt = policy.chatTemplate().render(List.of(ChatMessage.user("Hi")), List.of(), true);
 *   Generation g = policy.generate(policy.tokenizer().encode(prompt), Sampling.greedy(32));
 *   System.out.println(g.text() + " " + g.finishReason());
 * }
 * }</pre>
 */
public final class Policy implements AutoCloseable {
  private final Path dir;
  private final ModelConfig config;
  private final Qwen2Net net;
  private final Tokenizer tokenizer;
  private final ChatTemplate chatTemplate;
  private final Generator generator;
  private volatile long weightsVersion;

  private Policy(
      Path dir, ModelConfig config, Qwen2Net net, Tokenizer tokenizer, ChatTemplate chatTemplate) {
    this.dir = dir;
    this.config = config;
    this.net = net;
    this.tokenizer = tokenizer;
    this.chatTemplate = chatTemplate;
    this.generator = new Generator(net, tokenizer, Set.copyOf(config.eosTokenIds()));
  }

  /** Loads the model named by {@code policy.model}, on {@code policy.device}. */
  public static Policy load(PolicyConfig config) {
    if (config.model() == null) {
      throw new PolicyException(
          "policy.model is not set; set it to a Hugging Face Qwen2 model folder, e.g."
              + " policy.model=models/Qwen2.5-0.5B-Instruct");
    }
    return load(config.model(), config.device(), config.threads());
  }

  /**
   * Loads a model folder: {@code config.json}, the safetensors weights (single or sharded), {@code
   * tokenizer.json} and, when present, the chat template.
   *
   * @param threads PyTorch's intra-op threads on the CPU, 0 for its default
   */
  public static Policy load(Path dir, PolicyDevice device, int threads) {
    Objects.requireNonNull(dir, "dir");
    if (!Files.isDirectory(dir)) {
      throw new PolicyException(
          dir + " is not a folder; give a Hugging Face model folder holding config.json");
    }
    ModelConfig config = ModelConfig.load(dir);
    Devices.threads(threads);
    Device d = Devices.resolve(device);
    Tokenizer tokenizer = Tokenizer.load(dir);
    try {
      ChatTemplate template = hasChatTemplate(dir) ? ChatTemplate.load(dir) : null;
      Qwen2Net net = Qwen2Net.load(dir, config, d);
      return new Policy(dir, config, net, tokenizer, template);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  private static boolean hasChatTemplate(Path dir) {
    if (Files.exists(dir.resolve("chat_template.jinja"))) {
      return true;
    }
    try {
      Path tc = dir.resolve("tokenizer_config.json");
      return Files.exists(tc) && Files.readString(tc).contains("\"chat_template\"");
    } catch (IOException e) {
      return false;
    }
  }

  /** The model's shape and special tokens, from its config.json. */
  public ModelConfig config() {
    return config;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * The model's chat template.
   *
   * @throws PolicyException when the folder has none (a base model)
   */
  public ChatTemplate chatTemplate() {
    if (chatTemplate == null) {
      throw new PolicyException(
          dir + " has no chat template; use an instruct model or pass token ids directly");
    }
    return chatTemplate;
  }

  /** The model folder. */
  public Path dir() {
    return dir;
  }

  /** Where the model runs, e.g. {@code cpu()} or {@code gpu(0)}. */
  public String device() {
    return net.manager().getDevice().toString();
  }

  /** Continues one prompt. */
  public Generation generate(int[] prompt, Sampling sampling) {
    return generate(List.of(prompt), sampling).get(0);
  }

  /**
   * Continues every prompt in one batch (left-padded), returning the continuations in order.
   *
   * @throws IllegalArgumentException for an empty prompt, a token id outside the vocabulary or a
   *     prompt plus {@code maxNewTokens} longer than the model's context
   */
  public List<Generation> generate(List<int[]> prompts, Sampling sampling) {
    check(prompts, sampling);
    return generator.generate(prompts, sampling, null, null);
  }

  /**
   * As {@link #generate(List, Sampling)}, each prompt sampling from its own stream seeded by {@code
   * seeds[i]}: a sequence draws the same tokens whichever batch it is in and wherever it stands
   * there (rollouts batch whichever trajectories are ready, so batches vary from run to run).
   *
   * @throws IllegalArgumentException as {@link #generate(List, Sampling)}, or when there is not one
   *     seed per prompt
   */
  public List<Generation> generate(List<int[]> prompts, Sampling sampling, long[] seeds) {
    check(prompts, sampling);
    if (seeds.length != prompts.size()) {
      throw new IllegalArgumentException(
          seeds.length + " seeds for " + prompts.size() + " prompts; give one seed per prompt");
    }
    return generator.generate(prompts, sampling, seeds.clone(), null);
  }

  /** As {@link #generate(List, Sampling)}, showing each step's raw logits to {@code listener}. */
  List<Generation> generate(
      List<int[]> prompts, Sampling sampling, Generator.StepListener listener) {
    check(prompts, sampling);
    return generator.generate(prompts, sampling, null, listener);
  }

  private void check(List<int[]> prompts, Sampling sampling) {
    Objects.requireNonNull(sampling, "sampling");
    if (prompts.isEmpty()) {
      throw new IllegalArgumentException("no prompts; give at least one");
    }
    int v = config.vocabSize();
    for (int i = 0; i < prompts.size(); i++) {
      int[] p = prompts.get(i);
      if (p.length == 0) {
        throw new IllegalArgumentException(
            "prompt " + i + " is empty; a prompt needs at least one token");
      }
      for (int id : p) {
        if (id < 0 || id >= v) {
          throw new IllegalArgumentException(
              "prompt "
                  + i
                  + " holds token id "
                  + id
                  + ", outside this model's vocabulary [0, "
                  + v
                  + "); encode it with the model's own tokenizer");
        }
      }
      long total = (long) p.length + sampling.maxNewTokens();
      if (total > config.maxPositionEmbeddings()) {
        throw new IllegalArgumentException(
            "prompt "
                + i
                + " has "
                + p.length
                + " tokens; with max_new_tokens "
                + sampling.maxNewTokens()
                + " that is "
                + total
                + ", beyond the model's context of "
                + config.maxPositionEmbeddings()
                + " (max_position_embeddings); shorten the prompt or ask for fewer tokens");
      }
    }
  }

  /** One forward pass over {@code prompt}, last-position logits only: the benchmark's prefill. */
  void prefillForBenchmark(int[] prompt) {
    try (NDManager m = net.manager().newSubManager()) {
      long[][] ids = {Arrays.stream(prompt).asLongStream().toArray()};
      long[][] positions = {LongStream.range(0, prompt.length).toArray()};
      int[][] mask = {new int[prompt.length]};
      Arrays.fill(mask[0], 1);
      net.forward(m, ids, positions, mask, null, true, false).logits().toFloatArray();
    }
  }

  /** The network (for the trainer in this package). */
  Qwen2Net net() {
    return net;
  }

  /**
   * Replaces the trainable weights with an update from {@link PolicyTrainer#exportWeights}: LoRA
   * adapters (installed the first time) or all weights. Returns the update's version (the trainer's
   * step count). Call between generations, not during one.
   */
  public long importWeights(byte[] payload) {
    WeightsPayload.Decoded update = WeightsPayload.decode(payload);
    switch (update.kind()) {
      case LORA -> {
        LoraAdapters current = net.adapters();
        if (current == null || !current.settings().equals(update.lora())) {
          LoraAdapters fresh =
              LoraAdapters.create(config, update.lora(), 0, net.manager().getDevice());
          fresh.set(update.tensors());
          net.setAdapters(fresh);
          if (current != null) {
            current.close();
          }
        } else {
          current.set(update.tensors());
        }
      }
      case FULL -> {
        for (Qwen2Net.Leaf leaf : net.leaves()) {
          ByteBuffer v = update.tensors().get(leaf.name());
          if (v == null || v.remaining() != leaf.array().getShape().size() * 4) {
            throw new PolicyException(
                "the weights update has no "
                    + leaf.name()
                    + " of shape "
                    + leaf.array().getShape()
                    + ": it was made for another model");
          }
          leaf.array().set(v);
        }
      }
    }
    weightsVersion = update.version();
    return weightsVersion;
  }

  /** The version of the last imported update; 0 for the weights loaded from the folder. */
  public long weightsVersion() {
    return weightsVersion;
  }

  /** Native arrays the model's and the adapters' managers hold (the weights when idle). */
  int nativeArrays() {
    LoraAdapters lora = net.adapters();
    return net.manager().getManagedArrays().size() + (lora == null ? 0 : lora.nativeArrays());
  }

  @Override
  public void close() {
    try {
      if (net.adapters() != null) {
        net.adapters().close();
      }
      net.close();
    } finally {
      tokenizer.close();
    }
  }
}
