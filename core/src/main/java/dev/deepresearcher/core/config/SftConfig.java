package dev.deepresearcher.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Supervised fine-tuning ({@code sft.*}, {@code scripts/sft}); the model and how it trains are
 * {@code policy.*}.
 *
 * @param data JSON lines of {@code {"messages": [{"role": ..., "content": ...}, ...]}}; the loss
 *     covers the assistant messages only
 * @param out the run's folder: checkpoints, the final adapter or model, metrics.jsonl
 * @param epochs passes over the data
 * @param batchSize conversations per optimizer step
 * @param maxLength longest conversation in tokens; longer ones are cut at the end
 * @param saveEvery a checkpoint every this many steps (and one at the end); 0 for the end only
 * @param logEvery a line on the console every this many steps
 */
public record SftConfig(
    @Nullable Path data,
    Path out,
    @Range(min = 1, max = 10_000) int epochs,
    @Range(min = 1, max = 65_536) int batchSize,
    @Range(min = 2, max = 1_000_000) int maxLength,
    @Range(min = 0) int saveEvery,
    @Range(min = 1) int logEvery) {
  public SftConfig {
    Objects.requireNonNull(out, "out");
  }
}
