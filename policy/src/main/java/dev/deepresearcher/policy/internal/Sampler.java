package dev.deepresearcher.policy.internal;

import dev.deepresearcher.policy.Sampling;
import java.util.SplittableRandom;

/**
 * Chooses the next token of one sequence from its log-probabilities ({@code log_softmax(logits /
 * T)}, one row of {@code V}). Greedy takes the first maximum; sampling restricts to the top-k, then
 * to the nucleus of the renormalised top-k mass, and draws one token with the sequence's stream.
 */
public final class Sampler {
  /** Candidates examined first when only top-p limits the draw; widened while too few. */
  static final int FIRST_NUCLEUS_CANDIDATES = 64;

  private Sampler() {}

  /** The token chosen from {@code logprobs[offset, offset + v)}. */
  public static int choose(
      float[] logprobs, int offset, int v, Sampling sampling, SplittableRandom random) {
    if (sampling.greedy()) {
      return argMax(logprobs, offset, v);
    }
    if (sampling.topK() == 0 && sampling.topP() >= 1) {
      return drawFromAll(logprobs, offset, v, random.nextDouble());
    }
    int k =
        sampling.topK() > 0 ? Math.min(sampling.topK(), v) : Math.min(FIRST_NUCLEUS_CANDIDATES, v);
    while (true) {
      int[] top = topIndices(logprobs, offset, v, k);
      double mass = 0;
      for (int id : top) {
        mass += Math.exp(logprobs[offset + id]);
      }
      double limit = sampling.topK() > 0 ? mass : 1.0; // top-p is relative to the kept mass
      int keep = top.length;
      double kept = mass;
      if (sampling.topP() < 1) {
        double cumulative = 0;
        keep = -1;
        for (int i = 0; i < top.length; i++) {
          cumulative += Math.exp(logprobs[offset + top[i]]);
          if (cumulative >= sampling.topP() * limit) {
            keep = i + 1;
            kept = cumulative;
            break;
          }
        }
        if (keep < 0) {
          if (k < v && sampling.topK() == 0) {
            k = (int) Math.min(v, 4L * k); // the nucleus is wider than the candidates: widen
            continue;
          }
          keep = top.length; // rounding: the whole (top-k) set
          kept = mass;
        }
      }
      double u = random.nextDouble() * kept;
      double cumulative = 0;
      for (int i = 0; i < keep; i++) {
        cumulative += Math.exp(logprobs[offset + top[i]]);
        if (u < cumulative) {
          return top[i];
        }
      }
      return top[keep - 1];
    }
  }

  /** The index of the first largest value. */
  static int argMax(float[] values, int offset, int v) {
    int best = 0;
    float max = values[offset];
    for (int i = 1; i < v; i++) {
      if (values[offset + i] > max) {
        max = values[offset + i];
        best = i;
      }
    }
    return best;
  }

  private static int drawFromAll(float[] logprobs, int offset, int v, double u) {
    double cumulative = 0;
    int last = 0;
    for (int i = 0; i < v; i++) {
      float lp = logprobs[offset + i];
      if (lp == Float.NEGATIVE_INFINITY) {
        continue;
      }
      cumulative += Math.exp(lp);
      last = i;
      if (u < cumulative) {
        return i;
      }
    }
    return last; // u beyond the rounded total mass
  }

  /**
   * The indices of the {@code k} largest values, largest first, lower index first among equal
   * values: a min-heap of size k over one pass (O(V log k)), then a sort of the k.
   */
  static int[] topIndices(float[] values, int offset, int v, int k) {
    int[] heap = new int[k];
    int size = 0;
    for (int i = 0; i < v; i++) {
      if (size < k) {
        heap[size] = i;
        siftUp(heap, size++, values, offset);
      } else if (before(i, heap[0], values, offset)) {
        heap[0] = i;
        siftDown(heap, size, values, offset);
      }
    }
    // Pop the heap (smallest first) into the result from the back.
    int[] out = new int[size];
    for (int n = size; n > 0; n--) {
      out[n - 1] = heap[0];
      heap[0] = heap[n - 1];
      siftDown(heap, n - 1, values, offset);
    }
    return out;
  }

  /** Whether index a ranks before index b: a larger value, or an equal value and a lower index. */
  private static boolean before(int a, int b, float[] values, int offset) {
    float va = values[offset + a];
    float vb = values[offset + b];
    return va > vb || (va == vb && a < b);
  }

  // The heap's root is the element that ranks last.
  private static void siftUp(int[] heap, int i, float[] values, int offset) {
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (!before(heap[parent], heap[i], values, offset)) {
        return;
      }
      swap(heap, parent, i);
      i = parent;
    }
  }

  private static void siftDown(int[] heap, int size, float[] values, int offset) {
    int i = 0;
    while (true) {
      int left = 2 * i + 1;
      int right = left + 1;
      int last = i;
      if (left < size && before(heap[last], heap[left], values, offset)) {
        last = left;
      }
      if (right < size && before(heap[last], heap[right], values, offset)) {
        last = right;
      }
      if (last == i) {
        return;
      }
      swap(heap, i, last);
      i = last;
    }
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
