package dev.deepresearcher.policy.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.function.Supplier;

/**
 * Per-token log-probabilities (and entropies) of given sequences under the model, in one forward
 * pass over a right-padded micro-batch: what training and the reference policy need.
 */
public final class TokenScorer {
  private TokenScorer() {}

  /**
   * A scored micro-batch; per-token arrays are {@code [b, T − 1]}, column j about token j + 1.
   *
   * @param logprobs {@code log p(token j+1 | tokens ≤ j)}
   * @param mask 1 where the token exists and is a target
   * @param entropy the entropy of each predicted distribution, computed when asked
   * @param length T, the longest sequence
   */
  public record Scored(NDArray logprobs, NDArray mask, Supplier<NDArray> entropy, int length) {}

  /**
   * Scores {@code ids} (each at least 2 tokens) with {@code targets[r][i]} saying whether token i
   * of row r is a target.
   */
  public static Scored score(
      NDManager m, Qwen2Net net, List<int[]> ids, List<boolean[]> targets, Qwen2Net.Mode mode) {
    int b = ids.size();
    int t = 0;
    for (int[] row : ids) {
      t = Math.max(t, row.length);
    }
    int w = t - 1;
    long[][] tokens = new long[b][t];
    long[][] positions = new long[b][t];
    int[][] keyMask = new int[b][t];
    long[] next = new long[b * w];
    float[] mask = new float[b * w];
    int pad = net.config().padTokenId();
    for (int r = 0; r < b; r++) {
      int[] row = ids.get(r);
      boolean[] target = targets.get(r);
      for (int j = 0; j < t; j++) {
        boolean real = j < row.length;
        tokens[r][j] = real ? row[j] : pad;
        positions[r][j] = j;
        keyMask[r][j] = real ? 1 : 0;
        if (j >= 1) {
          next[r * w + j - 1] = real ? row[j] : 0;
          mask[r * w + j - 1] = real && target[j] ? 1f : 0f;
        }
      }
    }
    NDArray logits =
        net.forward(m, tokens, positions, keyMask, null, false, false, mode).logits(); // [b,T,V]
    NDArray lp = logits.get(new NDIndex(":, :-1, :")).logSoftmax(-1); // [b, T-1, V]
    NDArray picked = lp.gather(m.create(next, new Shape(b, w, 1)), 2).reshape(b, w); // [b, T-1]
    NDArray maskArray = m.create(mask, new Shape(b, w));
    Supplier<NDArray> entropy = () -> lp.exp().mul(lp).sum(new int[] {2}).neg(); // [b, T-1]
    return new Scored(picked, maskArray, entropy, t);
  }
}
