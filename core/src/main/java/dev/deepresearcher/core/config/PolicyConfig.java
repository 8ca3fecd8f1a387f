package dev.deepresearcher.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The policy model ({@code policy.*}).
 *
 * @param model a Hugging Face Qwen2 / Qwen2.5 model folder (config.json, safetensors,
 *     tokenizer.json, chat template), or {@code null} when a command names it itself
 * @param device where the model runs
 * @param threads threads PyTorch uses within one operation on the CPU; 0 keeps PyTorch's default
 */
public record PolicyConfig(@Nullable Path model, PolicyDevice device, @Range(min = 0) int threads) {
  public PolicyConfig {
    Objects.requireNonNull(device, "device");
  }
}
