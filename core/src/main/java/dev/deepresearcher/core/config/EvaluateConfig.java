package dev.deepresearcher.core.config;

import java.util.Objects;

/**
 * Evaluation settings ({@code evaluate.*}).
 *
 * @param judge the LLM judge for MBE
 */
public record EvaluateConfig(JudgeConfig judge) {
  public EvaluateConfig {
    Objects.requireNonNull(judge, "judge");
  }
}
