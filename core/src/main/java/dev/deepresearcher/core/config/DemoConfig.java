package dev.deepresearcher.core.config;

/**
 * The offline demo ({@code demo.*}): what {@code scripts/train_grpo.sh} runs without arguments.
 *
 * @param enabled run the demo instead of a plain GRPO run
 * @param people people in the synthetic world; each has three questions
 * @param heldoutPeople people whose questions are kept for the final comparison
 * @param devPeople people whose questions validate during GRPO
 * @param careful the demonstrator's probability of the careful choice at each decision
 * @param demonstrations demonstrations per training question
 * @param hiddenSize the tiny policy's width
 * @param layers its decoder layers
 * @param heads its attention heads
 * @param kvHeads its key-value heads
 * @param intermediateSize its MLP width
 * @param context its context length
 * @param vocab the most tokens of its tokenizer (trained on the world's text)
 * @param sftFirstTurnSteps SFT steps on the demonstrations cut after their first turn
 * @param sftSteps the fewest SFT steps on the whole demonstrations (the second stage)
 * @param sftMaxSteps the most: the stage stops between the two once the copying probe on the dev
 *     questions reaches {@code sftCopyTarget}
 * @param sftRestartAfter steps after which an attempt at the second stage whose copying probe has
 *     not reached half the target on any kind at any check starts again from the first stage's
 *     weights (0: never)
 * @param sftCopyTarget the probability with which the SFT policy must write the answer it read in a
 *     careful dev demonstration's last tool response (teacher-forced); 0 stops at {@code sftSteps}
 * @param sftBatchSize sequences per SFT step
 * @param sftLr the SFT learning rate
 * @param evalN rollouts per held-out question in the final comparison
 * @param evalTemperature their sampling temperature
 */
public record DemoConfig(
    boolean enabled,
    @Range(min = 10, max = 1_000_000) int people,
    @Range(min = 1, max = 100_000) int heldoutPeople,
    @Range(min = 0, max = 100_000) int devPeople,
    @Range(min = 0, max = 1) double careful,
    @Range(min = 1, max = 100) int demonstrations,
    @Range(min = 8, max = 8192) int hiddenSize,
    @Range(min = 1, max = 256) int layers,
    @Range(min = 1, max = 256) int heads,
    @Range(min = 1, max = 256) int kvHeads,
    @Range(min = 8, max = 65536) int intermediateSize,
    @Range(min = 128, max = 1_000_000) int context,
    @Range(min = 300, max = 1_000_000) int vocab,
    @Range(min = 0, max = 1_000_000) int sftFirstTurnSteps,
    @Range(min = 0, max = 1_000_000) int sftSteps,
    @Range(min = 0, max = 1_000_000) int sftMaxSteps,
    @Range(min = 0, max = 1_000_000) int sftRestartAfter,
    @Range(min = 0, max = 1) double sftCopyTarget,
    @Range(min = 1, max = 100_000) int sftBatchSize,
    @Range(min = 0, max = 10) double sftLr,
    @Range(min = 1, max = 1000) int evalN,
    @Range(min = 0, max = 100) double evalTemperature) {
  public DemoConfig {
    if (sftMaxSteps < sftSteps) {
      throw new IllegalArgumentException(
          "sft_max_steps ("
              + sftMaxSteps
              + ") is below sft_steps ("
              + sftSteps
              + "), the fewest steps of the same SFT stage; raise sft_max_steps to at least "
              + sftSteps);
    }
    if (sftCopyTarget > 0 && devPeople == 0) {
      throw new IllegalArgumentException(
          "sft_copy_target ("
              + sftCopyTarget
              + ") needs dev questions to probe, but dev_people is 0; set dev_people above 0 or"
              + " sft_copy_target to 0 (then SFT runs sft_steps)");
    }
    if (heldoutPeople + devPeople >= people) {
      throw new IllegalArgumentException(
          "heldout_people ("
              + heldoutPeople
              + ") and dev_people ("
              + devPeople
              + ") leave no one to train on among "
              + people
              + " people; lower them or raise people");
    }
  }
}
