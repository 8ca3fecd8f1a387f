package dev.deepresearcher.trainer.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Where a run stands in its training questions: passes (epochs) over them, each in its own order
 * shuffled from the seed and the epoch's number, so a resumed run draws exactly the batches the
 * uninterrupted one would have.
 */
public final class DataCursor {
  private final int size;
  private final long seed;
  private int epoch;
  private int offset;
  private List<Integer> order;

  /** A cursor at {@code epoch}, {@code offset} over {@code size} questions. */
  public DataCursor(int size, long seed, int epoch, int offset) {
    if (size < 1) {
      throw new IllegalArgumentException("no training questions; give data.train_files");
    }
    if (epoch < 0 || offset < 0 || offset > size) {
      throw new IllegalArgumentException("bad cursor: epoch " + epoch + ", offset " + offset);
    }
    this.size = size;
    this.seed = seed;
    this.epoch = epoch;
    this.offset = offset;
    this.order = order(epoch);
  }

  private List<Integer> order(int e) {
    List<Integer> o = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      o.add(i);
    }
    Collections.shuffle(o, new Random(seed * 1_000_003L + e));
    return o;
  }

  /** The indices of the next {@code k} questions, starting a new pass when one ends. */
  public List<Integer> next(int k) {
    List<Integer> out = new ArrayList<>(k);
    while (out.size() < k) {
      if (offset == size) {
        epoch++;
        offset = 0;
        order = order(epoch);
      }
      out.add(order.get(offset++));
    }
    return out;
  }

  public int epoch() {
    return epoch;
  }

  public int offset() {
    return offset;
  }
}
