package dev.deepresearcher.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The policy model ({@code policy.*}).
 *
 * @param model a Hugging Face Qwen2 / Qwen2.5 model folder (config.json, safetensors,
 *     tokenizer.json, chat template), or {@code null} when a command names it itself
 * @param device where the model runs
 * @param threads threads PyTorch uses within one operation on the CPU; 0 keeps PyTorch's default
 * @param training how the policy is trained
 */
public record PolicyConfig(
    @Nullable Path model, PolicyDevice device, @Range(min = 0) int threads, Training training) {
  public PolicyConfig {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(training, "training");
  }

  /**
   * Training of the policy ({@code policy.training.*}).
   *
   * @param mode LoRA adapters or every weight
   * @param microBatchSize sequences per forward/backward pass; a batch is split into micro-batches
   *     whose gradients accumulate
   * @param lora the adapters' shape, when {@code mode} is {@code lora}
   * @param optimizer AdamW and gradient clipping
   * @param schedule the learning-rate schedule
   */
  public record Training(
      TrainingMode mode,
      @Range(min = 1, max = 4096) int microBatchSize,
      Lora lora,
      Optimizer optimizer,
      Schedule schedule) {
    public Training {
      Objects.requireNonNull(mode, "mode");
      Objects.requireNonNull(lora, "lora");
      Objects.requireNonNull(optimizer, "optimizer");
      Objects.requireNonNull(schedule, "schedule");
    }
  }

  /**
   * LoRA adapters ({@code policy.training.lora.*}), as PEFT defines them: {@code W x + (α / r) · B
   * A dropout(x)}, A {@code [r, in]}, B {@code [out, r]} starting at zero.
   *
   * @param rank r
   * @param alpha α
   * @param dropout dropout on the adapters' input while training
   * @param targetModules the projections that get adapters: q_proj, k_proj, v_proj, o_proj,
   *     gate_proj, up_proj, down_proj
   */
  public record Lora(
      @Range(min = 1, max = 4096) int rank,
      @Range(min = 0.0001, max = 1e6) double alpha,
      @Range(min = 0, max = 0.99) double dropout,
      List<String> targetModules) {
    /** The projection names adapters can target, as PEFT names them for Qwen2. */
    public static final Set<String> MODULES =
        Set.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    public Lora {
      targetModules = List.copyOf(targetModules);
      if (targetModules.isEmpty()) {
        throw new IllegalArgumentException(
            "target_modules is empty; name at least one of " + sorted(MODULES));
      }
      for (String m : targetModules) {
        if (!MODULES.contains(m)) {
          throw new IllegalArgumentException(
              "target_modules holds '" + m + "', which is not one of " + sorted(MODULES));
        }
      }
      if (Set.copyOf(targetModules).size() != targetModules.size()) {
        throw new IllegalArgumentException(
            "target_modules names a module twice: " + targetModules + "; list each once");
      }
    }

    private static List<String> sorted(Set<String> s) {
      return s.stream().sorted().toList();
    }
  }

  /**
   * AdamW with decoupled weight decay, and clipping by global gradient norm ({@code
   * policy.training.optimizer.*}).
   *
   * @param lr peak learning rate
   * @param beta1 first-moment decay
   * @param beta2 second-moment decay
   * @param eps added to the root of the second moment
   * @param weightDecay decoupled decay: {@code w -= lr · weight_decay · w} each step
   * @param maxGradNorm clip the global L2 norm of the gradients to this; {@code null} for no
   *     clipping
   */
  public record Optimizer(
      @Range(min = 0, max = 10) double lr,
      @Range(min = 0, max = 0.999999) double beta1,
      @Range(min = 0, max = 0.99999999) double beta2,
      @Range(min = 1e-20, max = 1) double eps,
      @Range(min = 0, max = 10) double weightDecay,
      @Nullable @Range(min = 1e-9, max = 1e9) Double maxGradNorm) {}

  /**
   * The learning-rate schedule ({@code policy.training.schedule.*}).
   *
   * @param name constant, linear or cosine
   * @param warmupSteps steps of linear warm-up from 0
   * @param totalSteps the step at which linear and cosine reach their floor; {@code null} for
   *     constant
   * @param minLrRatio the floor of linear and cosine, as a fraction of {@code lr}
   */
  public record Schedule(
      LrSchedule name,
      @Range(min = 0) int warmupSteps,
      @Nullable @Range(min = 1) Integer totalSteps,
      @Range(min = 0, max = 1) double minLrRatio) {
    public Schedule {
      Objects.requireNonNull(name, "name");
      if (name != LrSchedule.CONSTANT && totalSteps == null) {
        throw new IllegalArgumentException(
            "the "
                + name.configName()
                + " schedule needs total_steps (where it reaches min_lr_ratio · lr); set it or use"
                + " name: constant");
      }
      if (totalSteps != null && warmupSteps > totalSteps) {
        throw new IllegalArgumentException(
            "warmup_steps (" + warmupSteps + ") must not exceed total_steps (" + totalSteps + ")");
      }
    }
  }
}
