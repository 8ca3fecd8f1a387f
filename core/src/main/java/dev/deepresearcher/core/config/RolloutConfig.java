package dev.deepresearcher.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How trajectories are generated ({@code rollout.*}): the agent loop's limits, sampling, and the
 * tools as the policy sees them.
 *
 * @param n trajectories per question (the GRPO group; the paper: 16)
 * @param workers rollout actors, each holding its own copy of the policy
 * @param workerCpus CPU cores each rollout actor reserves on a cluster
 * @param workerGpus GPUs each rollout actor reserves on a cluster
 * @param maxTurns assistant turns per trajectory; each is a tool call or the answer
 * @param maxNewTokens tokens one assistant turn may generate
 * @param maxTotalTokens tokens of a whole trajectory, prompt and tool responses included
 * @param temperature sampling temperature; 0 for greedy decoding
 * @param topP nucleus mass
 * @param topK most likely tokens kept, 0 for all
 * @param searchTopK results per {@code web_search} query shown to the policy
 * @param maxQueries queries of one {@code web_search} call that run (the paper: 3); the rest are
 *     dropped with a note
 * @param maxUrls URLs of one {@code browse_webpage} call that are read; the rest are dropped with a
 *     note
 * @param maxToolResponseChars characters of one tool response kept; longer ones are cut with a note
 * @param toolBatchWindow after the first tool result of a round arrives, how long to wait for the
 *     others before generating again: results that come later join a later batch, so one slow page
 *     never stalls the rest
 * @param systemPrompt the system prompt; {@code null} for the built-in one
 */
public record RolloutConfig(
    @Range(min = 1, max = 1024) int n,
    @Range(min = 1, max = 4096) int workers,
    @Range(min = 0, max = 1024) double workerCpus,
    @Range(min = 0, max = 64) double workerGpus,
    @Range(min = 1, max = 100) int maxTurns,
    @Range(min = 1, max = 1_000_000) int maxNewTokens,
    @Range(min = 2, max = 10_000_000) int maxTotalTokens,
    @Range(min = 0, max = 100) double temperature,
    @Range(min = 0.000001, max = 1) double topP,
    @Range(min = 0) int topK,
    @Range(min = 1, max = 100) int searchTopK,
    @Range(min = 1, max = 100) int maxQueries,
    @Range(min = 1, max = 100) int maxUrls,
    @Range(min = 100, max = 10_000_000) int maxToolResponseChars,
    Duration toolBatchWindow,
    @Nullable String systemPrompt) {
  public RolloutConfig {
    Objects.requireNonNull(toolBatchWindow, "toolBatchWindow");
    if (maxNewTokens >= maxTotalTokens) {
      throw new IllegalArgumentException(
          "max_new_tokens ("
              + maxNewTokens
              + ") must be below max_total_tokens ("
              + maxTotalTokens
              + "), which also holds the prompt and the tool responses");
    }
  }
}
