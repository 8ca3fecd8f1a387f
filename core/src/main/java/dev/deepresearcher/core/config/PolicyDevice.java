package dev.deepresearcher.core.config;

/** Where the policy model runs ({@code policy.device}). */
public enum PolicyDevice implements ConfigEnum {
  /** The first GPU when PyTorch sees one, else the CPU. */
  AUTO,
  /** The CPU, in float32. */
  CPU,
  /** The first GPU; fails with the reason when there is none. */
  GPU
}
