package dev.deepresearcher.policy.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of past positions, per layer, in buffers allocated once for the whole generation
 * ({@code [B, kvHeads, capacity, headDim]}) and filled in place, so a step costs no copy of the
 * past. Rows can be dropped when their sequences finish.
 */
public final class KvCache {
  private final NDArray[] keys;
  private final NDArray[] values;
  private int length;

  /**
   * Buffers for {@code batch} sequences of at most {@code capacity} positions, on {@code manager}.
   */
  public KvCache(NDManager manager, int layers, int batch, int kvHeads, int capacity, int headDim) {
    keys = new NDArray[layers];
    values = new NDArray[layers];
    Shape shape = new Shape(batch, kvHeads, capacity, headDim);
    for (int l = 0; l < layers; l++) {
      keys[l] = manager.zeros(shape);
      values[l] = manager.zeros(shape);
    }
  }

  /** Positions filled so far. */
  public int length() {
    return length;
  }

  /** Room for positions. */
  public long capacity() {
    return keys[0].getShape().get(2);
  }

  /**
   * Writes {@code k}, {@code v} ({@code [B, kvHeads, T, headDim]}) after the past of layer {@code
   * layer} and returns views of past and new together ({@code [B, kvHeads, length + T, headDim]}),
   * owned by {@code m}.
   */
  NDArray[] append(NDManager m, int layer, NDArray k, NDArray v) {
    long t = k.getShape().get(2);
    if (length + t > capacity()) {
      throw new IllegalStateException("KV cache full: " + length + " + " + t + " > " + capacity());
    }
    NDIndex slot = new NDIndex(":, :, {}:{}", length, length + t);
    keys[layer].set(slot, k);
    values[layer].set(slot, v);
    NDIndex upto = new NDIndex(":, :, :{}", length + t);
    // The views belong to the step's manager m, so they are freed with the step, not the cache.
    return new NDArray[] {keys[layer].get(m, upto), values[layer].get(m, upto)};
  }

  /** Marks {@code t} more positions filled, after every layer appended them. */
  void advance(int t) {
    length += t;
  }

  /** Keeps only the given rows (sequences still generating), in that order. */
  public void keepRows(long[] rows) {
    NDArray index = keys[0].getManager().create(rows);
    for (int l = 0; l < keys.length; l++) {
      NDArray k = keys[l].get(index);
      NDArray v = values[l].get(index);
      keys[l].close();
      values[l].close();
      keys[l] = k;
      values[l] = v;
    }
    index.close();
  }
}
