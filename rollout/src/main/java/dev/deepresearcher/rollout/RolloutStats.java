package dev.deepresearcher.rollout;

/**
 * Where a rollout's time went.
 *
 * @param wallMillis the whole rollout
 * @param generateMillis generating (the policy's forward passes and sampling)
 * @param toolWaitMillis waiting for tools with nothing to generate
 * @param generationBatches generation calls made
 * @param sampledTokens tokens sampled
 * @param toolCalls tool calls run
 */
public record RolloutStats(
    long wallMillis,
    long generateMillis,
    long toolWaitMillis,
    int generationBatches,
    long sampledTokens,
    int toolCalls) {
  /** The sum of two workers' figures (wall time: the longer). */
  public RolloutStats plus(RolloutStats o) {
    return new RolloutStats(
        Math.max(wallMillis, o.wallMillis),
        generateMillis + o.generateMillis,
        toolWaitMillis + o.toolWaitMillis,
        generationBatches + o.generationBatches,
        sampledTokens + o.sampledTokens,
        toolCalls + o.toolCalls);
  }
}
