package dev.deepresearcher.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One micro-batch as a loss function sees it. Per-token arrays are {@code [b, T − 1]}: column
 * {@code j} is about token {@code j + 1} of each sequence (the one predicted from tokens {@code
 * 0..j}), right-padded with zeros where a sequence is shorter than {@code T}.
 */
public final class LossInputs {
  private final NDManager manager;
  private final int[] sequences;
  private final List<TrainingSequence> batch;
  private final int length;
  private final NDArray logprobs;
  private final NDArray mask;
  private final Supplier<NDArray> entropy;
  private NDArray entropyValue;
  private final Map<String, NDArray> metrics = new LinkedHashMap<>();

  LossInputs(
      NDManager manager,
      int[] sequences,
      List<TrainingSequence> batch,
      int length,
      NDArray logprobs,
      NDArray mask,
      Supplier<NDArray> entropy) {
    this.manager = manager;
    this.sequences = sequences;
    this.batch = batch;
    this.length = length;
    this.logprobs = logprobs;
    this.mask = mask;
    this.entropy = entropy;
  }

  /** Where to create arrays; everything in it is freed after the micro-batch. */
  public NDManager manager() {
    return manager;
  }

  /** Which sequences of the step's batch these rows are, in row order. */
  public int[] sequences() {
    return sequences.clone();
  }

  /** {@code log p(token j+1 | tokens ≤ j)} under the policy, with gradients, {@code [b, T−1]}. */
  public NDArray logprobs() {
    return logprobs;
  }

  /** 1 where the token is a target of the loss, else 0, {@code [b, T−1]}. */
  public NDArray mask() {
    return mask;
  }

  /** The entropy of each predicted distribution, with gradients, {@code [b, T−1]}. */
  public NDArray entropy() {
    if (entropyValue == null) {
      entropyValue = entropy.get();
    }
    return entropyValue;
  }

  /**
   * Per-token values laid out like {@link #logprobs()}: {@code values[s][j]} for sequence {@code s}
   * of the step's batch and token {@code j + 1} (arrays of length {@code length − 1}, e.g. old
   * log-probabilities from the rollout).
   */
  public NDArray perToken(List<float[]> values) {
    int b = sequences.length;
    int w = length - 1;
    float[] out = new float[b * w];
    for (int r = 0; r < b; r++) {
      float[] v = values.get(sequences[r]);
      int expected = batch.get(sequences[r]).length() - 1;
      if (v.length != expected) {
        throw new IllegalArgumentException(
            "per-token values of sequence "
                + sequences[r]
                + " have length "
                + v.length
                + ", expected "
                + expected
                + " (one per token after the first)");
      }
      System.arraycopy(v, 0, out, r * w, v.length);
    }
    return manager.create(out, new Shape(b, w));
  }

  /** One value per sequence of the step's batch, as a column {@code [b, 1]}. */
  public NDArray perSequence(float[] values) {
    float[] out = new float[sequences.length];
    for (int r = 0; r < out.length; r++) {
      out[r] = values[sequences[r]];
    }
    return manager.create(out, new Shape(sequences.length, 1));
  }

  /** Reports a scalar (e.g. a clip fraction); the step report gives its mean over micro-batches. */
  public void metric(String name, NDArray scalar) {
    metrics.put(name, scalar);
  }

  Map<String, NDArray> metrics() {
    return metrics;
  }
}
