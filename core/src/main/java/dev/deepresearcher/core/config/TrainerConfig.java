package dev.deepresearcher.core.config;

/**
 * GRPO training ({@code trainer.*}, {@code scripts/train_grpo.sh}).
 *
 * @param runName the run's folder under {@code run.output_dir}; {@code null} for a timestamp
 * @param trainBatchSize questions per step; each gets {@code rollout.n} trajectories
 * @param totalSteps steps to train
 * @param ppoMiniBatchSize questions per optimizer step: a step's batch is cut into mini-batches
 * @param ppoEpochs passes over a step's batch
 * @param clipRatio PPO's clip range ε: ratios outside [1 − ε, 1 + ε] give no gradient
 * @param klCoef weight of the low-variance KL penalty to the reference policy
 * @param entropyCoeff weight of the entropy bonus
 * @param valEvery validate every this many steps (and before the first); 0 never
 * @param valSize validation questions (the first ones of {@code data.val_files}); 0 for all
 * @param valTemperature sampling temperature of validation; 0 for greedy
 * @param saveEvery a checkpoint every this many steps (and one at the end); 0 for the end only
 * @param resume continue the run in {@code run_name} from its newest checkpoint
 * @param plots draw PNG plots of reward and F1 over steps into the run folder
 */
public record TrainerConfig(
    @Nullable String runName,
    @Range(min = 1, max = 1_000_000) int trainBatchSize,
    @Range(min = 1, max = 100_000_000) int totalSteps,
    @Range(min = 1, max = 1_000_000) int ppoMiniBatchSize,
    @Range(min = 1, max = 100) int ppoEpochs,
    @Range(min = 0, max = 10) double clipRatio,
    @Range(min = 0, max = 100) double klCoef,
    @Range(min = 0, max = 100) double entropyCoeff,
    @Range(min = 0) int valEvery,
    @Range(min = 0) int valSize,
    @Range(min = 0, max = 100) double valTemperature,
    @Range(min = 0) int saveEvery,
    boolean resume,
    boolean plots) {
  public TrainerConfig {
    if (runName != null && (runName.isBlank() || runName.contains("/") || runName.contains(".."))) {
      throw new IllegalArgumentException(
          "run_name '" + runName + "' must be a plain folder name, e.g. grpo-7b-run1");
    }
  }
}
