package dev.deepresearcher.policy;

import dev.deepresearcher.core.config.LrSchedule;
import dev.deepresearcher.core.config.PolicyConfig;
import dev.deepresearcher.core.config.TrainingMode;
import java.util.List;

/** Training settings for tests. */
final class TrainingFixtures {
  private TrainingFixtures() {}

  static final SequenceLoss MEAN_NLL =
      in -> in.logprobs().mul(in.mask()).sum().neg().div(in.mask().sum());

  static PolicyConfig.Training full(double lr, int microBatch) {
    return new PolicyConfig.Training(
        TrainingMode.FULL, microBatch, lora(4, 8, 0), optimizer(lr, 0.0, null), constant());
  }

  static PolicyConfig.Training lora(double lr, int rank, double alpha, int microBatch) {
    return new PolicyConfig.Training(
        TrainingMode.LORA, microBatch, lora(rank, alpha, 0), optimizer(lr, 0.0, null), constant());
  }

  static PolicyConfig.Lora lora(int rank, double alpha, double dropout) {
    return new PolicyConfig.Lora(
        rank,
        alpha,
        dropout,
        List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"));
  }

  static PolicyConfig.Optimizer optimizer(double lr, double weightDecay, Double maxGradNorm) {
    return new PolicyConfig.Optimizer(lr, 0.9, 0.999, 1e-8, weightDecay, maxGradNorm);
  }

  static PolicyConfig.Schedule constant() {
    return new PolicyConfig.Schedule(LrSchedule.CONSTANT, 0, null, 0);
  }
}
