package dev.deepresearcher.core.config;

/** Which weights training changes ({@code policy.training.mode}). */
public enum TrainingMode implements ConfigEnum {
  /** Low-rank adapters on the chosen projections; the base weights stay frozen. */
  LORA,
  /** Every weight; a frozen copy serves as the reference policy. */
  FULL
}
