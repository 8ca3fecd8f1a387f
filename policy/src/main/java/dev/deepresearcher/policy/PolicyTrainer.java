package dev.deepresearcher.policy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepresearcher.core.config.PolicyConfig;
import dev.deepresearcher.core.config.PolicyDevice;
import dev.deepresearcher.core.config.TrainingMode;
import dev.deepresearcher.core.io.AtomicFiles;
import dev.deepresearcher.policy.internal.AdamW;
import dev.deepresearcher.policy.internal.GradMode;
import dev.deepresearcher.policy.internal.LoraAdapters;
import dev.deepresearcher.policy.internal.Qwen2Net;
import dev.deepresearcher.policy.internal.Schedules;
import dev.deepresearcher.policy.internal.TokenScorer;
import dev.deepresearcher.policy.internal.WeightsPayload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains a {@link Policy}: LoRA adapters (the base frozen, and the reference policy is the base
 * with the adapters off) or every weight (with a frozen copy as the reference). A step cuts its
 * batch into micro-batches, accumulates their gradients, clips the global norm, skips the update
 * when the norm is not finite, and applies AdamW with the scheduled learning rate.
 *
 * <pre>{@code
 * try (Policy policy = Policy.load(modelDir, PolicyDevice.CPU, 0);
 *     PolicyTrainer trainer = PolicyTrainer.create(policy, config.policy().training(), seed)) {
 *   StepReport r = trainer.step(batch, in -> in.logprobs().mul(in.mask()).sum().neg()
 *       .div(in.mask().sum()));
 *   trainer.save(Path.of("runs/x/checkpoint-1"));
 *   byte[] update = trainer.exportWeights(); // for rollout replicas: policy.importWeights(update)
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one step at a time (PyTorch's gradient recording is per JVM in DJL).
 */
public final class PolicyTrainer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String STATE_FILE = "trainer_state.json";
  static final String OPTIMIZER_FILE = "optimizer.safetensors";
  static final String POLICY_FOLDER = "policy";

  private final Policy policy;
  private final boolean ownsPolicy;
  private final PolicyConfig.Training settings;
  private final long seed;
  private final Path baseModel;
  private final Qwen2Net net;
  private final Qwen2Net reference;
  private final LoraAdapters adapters;
  private final List<Qwen2Net.Leaf> trainable;
  private final AdamW optimizer;
  private long skipped;

  private PolicyTrainer(
      Policy policy,
      boolean ownsPolicy,
      PolicyConfig.Training settings,
      long seed,
      Path baseModel,
      Qwen2Net reference,
      LoraAdapters adapters) {
    this.policy = policy;
    this.ownsPolicy = ownsPolicy;
    this.settings = settings;
    this.seed = seed;
    this.baseModel = baseModel;
    this.net = policy.net();
    this.reference = reference;
    this.adapters = adapters;
    if (adapters != null) {
      adapters.requireGradients(true);
      net.setAdapters(adapters);
      this.trainable = adapters.leaves();
    } else {
      this.trainable = net.leaves();
      for (Qwen2Net.Leaf leaf : trainable) {
        leaf.array().setRequiresGradient(true);
      }
    }
    this.optimizer = new AdamW(trainable, settings.optimizer(), net.manager());
  }

  /**
   * Starts training {@code policy} (which the caller keeps and closes): new LoRA adapters (A from
   * {@code seed}, B zero, so the policy is unchanged until the first update) or all weights.
   */
  public static PolicyTrainer create(Policy policy, PolicyConfig.Training settings, long seed) {
    Qwen2Net net = policy.net();
    if (net.adapters() != null) {
      throw new PolicyException(
          "this policy already carries adapters; load a fresh policy to train new ones, or resume"
              + " from the checkpoint that holds them");
    }
    if (settings.mode() == TrainingMode.LORA) {
      LoraAdapters lora =
          LoraAdapters.create(
              policy.config(), loraSettings(settings.lora()), seed, net.manager().getDevice());
      return new PolicyTrainer(policy, false, settings, seed, policy.dir(), null, lora);
    }
    Qwen2Net reference = Qwen2Net.load(policy.dir(), policy.config(), net.manager().getDevice());
    return new PolicyTrainer(policy, false, settings, seed, policy.dir(), reference, null);
  }

  static LoraAdapters.Settings loraSettings(PolicyConfig.Lora lora) {
    List<LoraAdapters.Target> targets = new ArrayList<>();
    for (String m : lora.targetModules()) {
      targets.add(LoraAdapters.Target.of(m));
    }
    targets.sort(null);
    return new LoraAdapters.Settings(lora.rank(), lora.alpha(), lora.dropout(), targets, false);
  }

  /** The policy being trained. */
  public Policy policy() {
    return policy;
  }

  /** Optimizer steps taken (skipped ones included). */
  public long steps() {
    return optimizer.steps() + skipped;
  }

  /** The learning rate the next step will apply. */
  public double nextLr() {
    return Schedules.lr(settings.schedule(), settings.optimizer().lr(), steps());
  }

  /**
   * One optimizer step on {@code batch}: forward and backward per micro-batch (in batch order),
   * then clipping and the update.
   *
   * @throws IllegalArgumentException for an empty batch or a loss that is not a scalar
   */
  public StepReport step(List<TrainingSequence> batch, SequenceLoss loss) {
    long stepIndex = steps();
    Accumulated acc = accumulate(batch, loss, stepIndex);
    double norm = globalNorm();
    double lr = Schedules.lr(settings.schedule(), settings.optimizer().lr(), stepIndex);
    boolean skip = !Double.isFinite(norm);
    if (skip) {
      skipped++;
    } else {
      Double max = settings.optimizer().maxGradNorm();
      if (max != null && norm > max) {
        optimizer.scaleGradients(max / (norm + 1e-6)); // as torch's clip_grad_norm_
      }
      optimizer.step(lr);
    }
    optimizer.zeroGradients();
    return new StepReport(
        stepIndex + 1,
        acc.loss(),
        norm,
        skip ? 0 : lr,
        skip,
        batch.size(),
        acc.tokens(),
        acc.metrics());
  }

  /** What the forward/backward passes of a step produced. */
  record Accumulated(double loss, long tokens, Map<String, Double> metrics) {}

  /**
   * Forward and backward over the micro-batches of {@code batch}: the gradients of the
   * micro-batches' losses, each weighted by its share of the batch's target tokens, add to what the
   * trainable arrays hold.
   */
  Accumulated accumulate(List<TrainingSequence> batch, SequenceLoss loss, long stepIndex) {
    if (batch.isEmpty()) {
      throw new IllegalArgumentException("the batch is empty; give at least one sequence");
    }
    checkVocabulary(batch);
    // Dropout draws from PyTorch's generator: seeding it per step makes a step reproducible and a
    // resumed run draw what the uninterrupted one would have.
    Engine.getEngine("PyTorch").setRandomSeed((int) mix(seed, stepIndex));
    int micro = settings.microBatchSize();
    int microBatches = (batch.size() + micro - 1) / micro;
    // Each micro-batch counts by its share of the batch's target tokens, so a token-mean loss is
    // the mean over the whole batch however it is cut: equal weights would favour micro-batches of
    // short sequences (fewer tokens, each weighing more), and batches cut by length would teach
    // whatever the short sequences do.
    long batchTargets = 0;
    for (TrainingSequence s : batch) {
      batchTargets += s.targets();
    }
    double lossSum = 0;
    long tokens = 0;
    Map<String, Double> metricSums = new LinkedHashMap<>();
    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
      for (int start = 0; start < batch.size(); start += micro) {
        int end = Math.min(batch.size(), start + micro);
        int[] rows = new int[end - start];
        List<int[]> ids = new ArrayList<>();
        List<boolean[]> masks = new ArrayList<>();
        long microTargets = 0;
        for (int i = start; i < end; i++) {
          rows[i - start] = i;
          ids.add(batch.get(i).ids());
          masks.add(batch.get(i).lossMask());
          microTargets += batch.get(i).targets();
        }
        tokens += microTargets;
        double weight =
            batchTargets > 0 ? (double) microTargets / batchTargets : 1.0 / microBatches;
        try (NDManager m = net.manager().newSubManager()) {
          TokenScorer.Scored scored = TokenScorer.score(m, net, ids, masks, Qwen2Net.Mode.TRAINING);
          LossInputs in =
              new LossInputs(
                  m,
                  rows,
                  batch,
                  scored.length(),
                  scored.logprobs(),
                  scored.mask(),
                  scored.entropy());
          NDArray value = loss.loss(in);
          if (value.getShape().size() != 1) {
            throw new IllegalArgumentException(
                "the loss must be a scalar, got shape "
                    + value.getShape()
                    + "; reduce it (e.g. mean)");
          }
          collector.backward(value.mul(weight));
          lossSum += weight * value.getFloat();
          for (Map.Entry<String, NDArray> e : in.metrics().entrySet()) {
            metricSums.merge(e.getKey(), weight * e.getValue().getFloat(), Double::sum);
          }
        }
      }
    }
    return new Accumulated(lossSum, tokens, new LinkedHashMap<>(metricSums));
  }

  /** The accumulated gradient of the Hugging Face tensor {@code name} (tests), as floats. */
  float[] gradient(String name) {
    for (Qwen2Net.Leaf leaf : trainable) {
      for (Qwen2Net.Part part : leaf.parts()) {
        if (part.name().equals(name)) {
          try (NDArray g = leaf.array().getGradient();
              NDArray rows = g.get(new NDIndex("{}:{}", part.from(), part.to()))) {
            return rows.toFloatArray();
          }
        }
      }
    }
    throw new IllegalArgumentException("no trainable tensor " + name);
  }

  /** Sets the accumulated gradients to zero. */
  void zeroGradients() {
    optimizer.zeroGradients();
  }

  private double globalNorm() {
    double sum = 0;
    for (double n : optimizer.gradientNorms().values()) {
      sum += n * n;
    }
    return Math.sqrt(sum);
  }

  /** The L2 norm of each trainable array's gradient as it stands (tests and diagnostics). */
  Map<String, Double> gradientNorms() {
    return optimizer.gradientNorms();
  }

  /**
   * Log-probabilities of each sequence's tokens after the first, without gradients, under the
   * current policy or under the reference policy (the base model for LoRA, the frozen copy for full
   * training): element {@code j} of a sequence's array is about its token {@code j + 1}.
   */
  public List<float[]> logprobs(List<TrainingSequence> batch, boolean underReference) {
    checkVocabulary(batch);
    GradMode.off();
    Qwen2Net model = underReference && reference != null ? reference : net;
    Qwen2Net.Mode mode = underReference ? Qwen2Net.Mode.BASE : Qwen2Net.Mode.INFERENCE;
    List<float[]> out = new ArrayList<>();
    int micro = settings.microBatchSize();
    for (int start = 0; start < batch.size(); start += micro) {
      List<int[]> ids = new ArrayList<>();
      List<boolean[]> masks = new ArrayList<>();
      for (int i = start; i < Math.min(batch.size(), start + micro); i++) {
        ids.add(batch.get(i).ids());
        masks.add(batch.get(i).lossMask());
      }
      try (NDManager m = model.manager().newSubManager()) {
        TokenScorer.Scored scored = TokenScorer.score(m, model, ids, masks, mode);
        float[] all = scored.logprobs().toFloatArray();
        int w = scored.length() - 1;
        for (int r = 0; r < ids.size(); r++) {
          out.add(Arrays.copyOfRange(all, r * w, r * w + ids.get(r).length - 1));
        }
      }
    }
    return out;
  }

  private void checkVocabulary(List<TrainingSequence> batch) {
    int v = policy.config().vocabSize();
    for (int i = 0; i < batch.size(); i++) {
      for (int id : batch.get(i).ids()) {
        if (id < 0 || id >= v) {
          throw new IllegalArgumentException(
              "sequence "
                  + i
                  + " holds token id "
                  + id
                  + ", outside the vocabulary [0, "
                  + v
                  + ")");
        }
      }
    }
  }

  /**
   * The trainable weights as a compact payload tagged with the step count, for rollout replicas
   * ({@link Policy#importWeights}).
   */
  public byte[] exportWeights() {
    return adapters != null
        ? WeightsPayload.encode(
            steps(), WeightsPayload.Kind.LORA, adapters.settings(), adapters.leaves())
        : WeightsPayload.encode(steps(), WeightsPayload.Kind.FULL, null, net.leaves());
  }

  /**
   * Saves everything a resume needs into the folder {@code dir}, atomically (a temporary folder
   * renamed into place): the policy ({@code policy/}: PEFT adapters, or a Hugging Face folder of
   * the full weights), the optimizer's moments, the step count and the seed.
   */
  public void save(Path dir) {
    try {
      AtomicFiles.writeFolder(
          dir,
          tmp -> {
            Path policyDir = Files.createDirectory(tmp.resolve(POLICY_FOLDER));
            if (adapters != null) {
              adapters.save(policyDir, baseModel.toString());
            } else {
              ModelFiles.writeHuggingFace(net, baseModel, policyDir);
            }
            optimizer.save(tmp.resolve(OPTIMIZER_FILE));
            ObjectNode state = JSON.createObjectNode();
            state.put("format", 1);
            state.put("mode", settings.mode().configName());
            state.put("base_model", baseModel.toAbsolutePath().toString());
            state.put("optimizer_steps", optimizer.steps());
            state.put("skipped_steps", skipped);
            state.put("seed", seed);
            state.set("training", JSON.valueToTree(settings));
            Files.writeString(
                tmp.resolve(STATE_FILE),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
          });
    } catch (IOException e) {
      throw new PolicyException("cannot save the checkpoint " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Resumes from a folder written by {@link #save}: loads the policy it holds (and, for LoRA, the
   * base model it names), the optimizer's moments and the step count. The trainer owns the policy.
   */
  public static PolicyTrainer resume(
      Path dir, PolicyConfig.Training settings, PolicyDevice device, int threads) {
    try {
      AtomicFiles.recoverFolder(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path stateFile = dir.resolve(STATE_FILE);
    if (!Files.exists(stateFile)) {
      throw new PolicyException(
          dir
              + " is not a training checkpoint (no "
              + STATE_FILE
              + "); give a folder that save wrote");
    }
    JsonNode state;
    try {
      state = JSON.readTree(stateFile.toFile());
    } catch (IOException e) {
      throw new PolicyException("cannot read " + stateFile + ": " + e.getMessage(), e);
    }
    TrainingMode mode = TrainingMode.valueOf(state.path("mode").asText().toUpperCase(Locale.ROOT));
    if (mode != settings.mode()) {
      throw new PolicyException(
          dir
              + " was trained with mode "
              + mode
              + " but the configuration says "
              + settings.mode()
              + "; resume with the mode it was written with");
    }
    Path base = Path.of(state.path("base_model").asText());
    long seed = state.path("seed").asLong();
    Path policyDir = dir.resolve(POLICY_FOLDER);
    PolicyTrainer trainer;
    if (mode == TrainingMode.LORA) {
      Policy policy = Policy.load(base, device, threads);
      try {
        LoraAdapters lora =
            LoraAdapters.load(policyDir, policy.config(), policy.net().manager().getDevice());
        trainer = new PolicyTrainer(policy, true, settings, seed, base, null, lora);
      } catch (RuntimeException e) {
        policy.close();
        throw e;
      }
    } else {
      Policy policy = Policy.load(policyDir, device, threads);
      try {
        Qwen2Net reference =
            Qwen2Net.load(base, policy.config(), policy.net().manager().getDevice());
        trainer = new PolicyTrainer(policy, true, settings, seed, base, reference, null);
      } catch (RuntimeException e) {
        policy.close();
        throw e;
      }
    }
    trainer.optimizer.load(dir.resolve(OPTIMIZER_FILE), state.path("optimizer_steps").asLong());
    trainer.skipped = state.path("skipped_steps").asLong();
    return trainer;
  }

  /** Writes the LoRA adapters in PEFT's layout into the folder {@code dir}, atomically. */
  public void saveAdapter(Path dir) {
    if (adapters == null) {
      throw new PolicyException("full fine-tuning has no adapter to save; use exportModel");
    }
    try {
      AtomicFiles.writeFolder(dir, tmp -> adapters.save(tmp, baseModel.toString()));
    } catch (IOException e) {
      throw new PolicyException("cannot save the adapter to " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes the trained policy as a plain Hugging Face model folder (LoRA merged into the weights),
   * atomically: what other tools and {@code scripts/generate} load.
   */
  public void exportModel(Path dir) {
    try {
      AtomicFiles.writeFolder(
          dir,
          tmp -> {
            if (adapters == null) {
              ModelFiles.writeHuggingFace(net, baseModel, tmp);
              return;
            }
            try (Qwen2Net merged =
                Qwen2Net.load(baseModel, policy.config(), net.manager().getDevice())) {
              adapters.mergeInto(merged);
              ModelFiles.writeHuggingFace(merged, baseModel, tmp);
            }
          });
    } catch (IOException e) {
      throw new PolicyException("cannot export the model to " + dir + ": " + e.getMessage(), e);
    }
  }

  static long mix(long seed, long step) {
    long z = seed + 0x9E3779B97F4A7C15L * (step + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public void close() {
    optimizer.close();
    if (adapters != null) {
      net.setAdapters(null);
      adapters.close();
    } else {
      for (Qwen2Net.Leaf leaf : trainable) {
        leaf.array().setRequiresGradient(false);
      }
    }
    if (reference != null) {
      reference.close();
    }
    if (ownsPolicy) {
      policy.close();
    }
  }
}
