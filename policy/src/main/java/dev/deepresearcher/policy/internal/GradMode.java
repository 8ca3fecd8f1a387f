package dev.deepresearcher.policy.internal;

import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch records operations for autograd per thread, and a new thread starts recording. Inference
 * turns it off so that no graph is kept for weights that require gradients.
 */
public final class GradMode {
  private GradMode() {}

  /** Stops recording on this thread (a training step turns it on for its own duration). */
  public static void off() {
    if (JniUtils.isGradMode()) {
      JniUtils.setGradMode(false);
    }
  }
}
