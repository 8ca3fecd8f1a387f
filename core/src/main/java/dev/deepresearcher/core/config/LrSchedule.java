package dev.deepresearcher.core.config;

/** How the learning rate moves over the optimizer steps ({@code policy.training.schedule.name}). */
public enum LrSchedule implements ConfigEnum {
  /** Linear warm-up from 0, then constant. */
  CONSTANT,
  /** Linear warm-up, then linear decay to {@code min_lr_ratio · lr} at {@code total_steps}. */
  LINEAR,
  /**
   * Linear warm-up, then a half cosine down to {@code min_lr_ratio · lr} at {@code total_steps}.
   */
  COSINE
}
