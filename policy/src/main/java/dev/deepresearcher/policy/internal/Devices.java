package dev.deepresearcher.policy.internal;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.deepresearcher.core.config.PolicyDevice;
import dev.deepresearcher.policy.PolicyException;

/** Maps {@code policy.device} and {@code policy.threads} onto the PyTorch engine. */
public final class Devices {
  private Devices() {}

  /** The device a choice means on this machine. */
  public static Device resolve(PolicyDevice choice) {
    int gpus = Engine.getEngine("PyTorch").getGpuCount();
    return switch (choice) {
      case CPU -> Device.cpu();
      case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
      case GPU -> {
        if (gpus == 0) {
          throw new PolicyException(
              "policy.device=gpu but PyTorch sees no GPU (the CPU build of libtorch is loaded, or"
                  + " no CUDA device is visible); use policy.device=cpu or auto, or see"
                  + " docs/policy.md for running on a GPU");
        }
        yield Device.gpu();
      }
    };
  }

  /** Sets PyTorch's intra-op threads; 0 keeps its default. */
  public static void threads(int threads) {
    if (threads > 0) {
      Engine.getEngine("PyTorch"); // loads the native library before calling into it
      JniUtils.setNumThreads(threads);
    }
  }

  /** Threads PyTorch uses inside one operation. */
  public static int threads() {
    Engine.getEngine("PyTorch");
    return JniUtils.getNumThreads();
  }
}
