package dev.deepresearcher.core.config;

import java.util.Objects;

/**
 * How answers are scored during training ({@code reward.*}).
 *
 * @param name the reward function
 */
public record RewardConfig(RewardName name) {
  public RewardConfig {
    Objects.requireNonNull(name, "name");
  }
}
