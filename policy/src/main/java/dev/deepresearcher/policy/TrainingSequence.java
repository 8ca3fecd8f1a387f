package dev.deepresearcher.policy;

import java.util.Arrays;
import java.util.Objects;

/**
 * One sequence to train on: its tokens, exactly as sampled, and which of them the loss covers.
 *
 * <pre>{@code
 * TrainingSequence s = TrainingSequence.of(promptIds, responseIds); // loss on the response only
 * }</pre>
 *
 * @param ids the tokens, at least two
 * @param lossMask {@code lossMask[i]} when token {@code i} is a target (predicted from the tokens
 *     before it); {@code lossMask[0]} is always false, nothing predicts the first token
 */
public record TrainingSequence(int[] ids, boolean[] lossMask) {
  public TrainingSequence {
    ids = ids.clone();
    lossMask = lossMask.clone();
    if (ids.length < 2) {
      throw new IllegalArgumentException(
          "a training sequence needs at least 2 tokens (one to predict from, one to predict), got "
              + ids.length);
    }
    if (lossMask.length != ids.length) {
      throw new IllegalArgumentException(
          "loss mask of length "
              + lossMask.length
              + " for "
              + ids.length
              + " tokens; give one flag per token");
    }
    if (lossMask[0]) {
      throw new IllegalArgumentException(
          "lossMask[0] is true, but nothing predicts the first token; start the mask at 1 or later");
    }
  }

  /** A prompt and what follows it, the loss on what follows. */
  public static TrainingSequence of(int[] prompt, int[] completion) {
    int[] ids = Arrays.copyOf(prompt, prompt.length + completion.length);
    System.arraycopy(completion, 0, ids, prompt.length, completion.length);
    boolean[] mask = new boolean[ids.length];
    Arrays.fill(mask, prompt.length, ids.length, true);
    if (prompt.length == 0 && mask.length > 0) {
      mask[0] = false;
    }
    return new TrainingSequence(ids, mask);
  }

  @Override
  public int[] ids() {
    return ids.clone();
  }

  @Override
  public boolean[] lossMask() {
    return lossMask.clone();
  }

  /** Tokens in the sequence. */
  public int length() {
    return ids.length;
  }

  /** Tokens the loss covers. */
  public int targets() {
    int n = 0;
    for (boolean b : lossMask) {
      n += b ? 1 : 0;
    }
    return n;
  }

  int id(int i) {
    return ids[i];
  }

  boolean target(int i) {
    return lossMask[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingSequence t
        && Arrays.equals(ids, t.ids)
        && Arrays.equals(lossMask, t.lossMask);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(ids), Arrays.hashCode(lossMask));
  }

  @Override
  public String toString() {
    return "TrainingSequence[" + ids.length + " tokens, " + targets() + " targets]";
  }
}
