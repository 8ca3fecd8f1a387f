package dev.deepresearcher.policy.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.deepresearcher.policy.FinishReason;
import dev.deepresearcher.policy.Generation;
import dev.deepresearcher.policy.Sampling;
import dev.deepresearcher.policy.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Batched generation with a KV cache. Prompts are left-padded to the longest; a sequence's
 * positions count its real tokens only ({@code clamp(cumsum(mask) - 1, 0)}, as transformers' {@code
 * generate()}). Each step runs the model on the batch's newest tokens, copies out the
 * log-probabilities of the next token and chooses it in Java. Sequences that finish leave the batch
 * (and the cache) at once, so they stop costing compute.
 *
 * <p>Native memory: every call owns one sub-manager (the KV cache) and every step one more (its
 * activations), both closed before the step or call returns.
 */
public final class Generator {
  /** Sees the raw next-token logits of each step (for tests and debugging). */
  public interface StepListener {
    /**
     * @param step 0 for the logits after the prompt, then one per generated token
     * @param sequences which prompts the rows are, in row order
     * @param logits {@code [rows, V]} raw logits
     */
    void onStep(int step, int[] sequences, float[] logits);
  }

  private final Qwen2Net net;
  private final Tokenizer tokenizer;
  private final Set<Integer> eos;

  public Generator(Qwen2Net net, Tokenizer tokenizer, Set<Integer> eosTokenIds) {
    this.net = net;
    this.tokenizer = tokenizer;
    this.eos = Set.copyOf(eosTokenIds);
  }

  /** Mutable state of one sequence while it generates. */
  private static final class Row {
    final int sequence;
    final int promptLength;
    final SplittableRandom random;
    int[] tokens;
    float[] logprobs;
    int count;
    FinishReason finish;
    String stop;

    Row(int sequence, int promptLength, SplittableRandom random, int capacity) {
      this.sequence = sequence;
      this.promptLength = promptLength;
      this.random = random;
      this.tokens = new int[capacity];
      this.logprobs = new float[capacity];
    }
  }

  /**
   * Continues every prompt.
   *
   * @param prompts token ids, each non-empty and within the vocabulary
   * @param seeds one sampling seed per prompt, or {@code null} to split the streams from {@code
   *     sampling.seed()} in batch order
   * @param listener sees each step's logits, or {@code null}
   */
  public List<Generation> generate(
      List<int[]> prompts, Sampling sampling, long[] seeds, StepListener listener) {
    GradMode.off();
    int n = prompts.size();
    int v = net.config().vocabSize();
    int maxNew = sampling.maxNewTokens();
    int longest = 0;
    for (int[] p : prompts) {
      longest = Math.max(longest, p.length);
    }
    int capacity = longest + maxNew;
    int stopWindow = stopWindow(sampling.stopStrings());
    SplittableRandom streams = new SplittableRandom(sampling.seed());
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      SplittableRandom random = seeds == null ? streams.split() : new SplittableRandom(seeds[i]);
      rows.add(new Row(i, prompts.get(i).length, random, Math.min(maxNew, 64)));
    }
    // Prefill input: left padding, positions counting real tokens only.
    long[][] ids = new long[n][longest];
    long[][] positions = new long[n][longest];
    int[][] keyMask = new int[n][capacity];
    for (int i = 0; i < n; i++) {
      int[] p = prompts.get(i);
      int pad = longest - p.length;
      for (int j = 0; j < longest; j++) {
        boolean real = j >= pad;
        ids[i][j] = real ? p[j - pad] : net.config().padTokenId();
        positions[i][j] = real ? j - pad : 0;
        keyMask[i][j] = real ? 1 : 0;
      }
    }
    Generation[] out = new Generation[n];
    try (NDManager call = net.manager().newSubManager()) {
      KvCache cache =
          new KvCache(
              call,
              net.config().numLayers(),
              n,
              net.config().numKvHeads(),
              capacity,
              net.config().headDim());
      Next next = step(call, ids, positions, keyMask, cache, sampling, listener, 0, rows);
      for (int step = 0; ; step++) {
        // Choose a token for every row still generating.
        for (int r = 0; r < rows.size(); r++) {
          Row row = rows.get(r);
          int token;
          float logprob;
          if (next.tokens() != null) {
            token = next.tokens()[r];
            logprob = next.logprobs()[r];
          } else {
            token = Sampler.choose(next.logprobs(), r * v, v, sampling, row.random);
            logprob = next.logprobs()[r * v + token];
          }
          append(row, token, logprob);
          if (eos.contains(token)) {
            row.finish = FinishReason.EOS;
          } else if (stopWindow > 0 && (row.stop = stopIn(row, sampling, stopWindow)) != null) {
            row.finish = FinishReason.STOP_STRING;
          } else if (row.count == maxNew) {
            row.finish = FinishReason.LENGTH;
          }
        }
        List<Row> done = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
          if (rows.get(r).finish != null) {
            done.add(rows.get(r));
          } else {
            kept.add(r);
          }
        }
        finished(done, out);
        if (kept.isEmpty()) {
          break;
        }
        if (kept.size() < rows.size()) {
          long[] keep = kept.stream().mapToLong(Integer::longValue).toArray();
          cache.keepRows(keep);
          int[][] mask = new int[kept.size()][];
          List<Row> remaining = new ArrayList<>(kept.size());
          for (int i = 0; i < kept.size(); i++) {
            mask[i] = keyMask[kept.get(i)];
            remaining.add(rows.get(kept.get(i)));
          }
          keyMask = mask;
          rows = remaining;
        }
        // Feed the chosen tokens: one new position per row.
        int b = rows.size();
        long[][] feed = new long[b][1];
        long[][] pos = new long[b][1];
        int column = longest + step;
        for (int r = 0; r < b; r++) {
          Row row = rows.get(r);
          feed[r][0] = row.tokens[row.count - 1];
          pos[r][0] = row.promptLength + row.count - 1;
          keyMask[r][column] = 1;
        }
        next = step(call, feed, pos, keyMask, cache, sampling, listener, step + 1, rows);
      }
    }
    return List.of(out);
  }

  private void finished(List<Row> done, Generation[] out) {
    for (Row row : done) {
      int[] tokens = Arrays.copyOf(row.tokens, row.count);
      float[] lps = Arrays.copyOf(row.logprobs, row.count);
      int textEnd = row.finish == FinishReason.EOS ? row.count - 1 : row.count;
      String text = tokenizer.decode(Arrays.copyOf(tokens, textEnd), false);
      out[row.sequence] = new Generation(tokens, lps, row.finish, row.stop, text);
    }
  }

  /** One forward pass in its own manager, and what it says about the next tokens. */
  private Next step(
      NDManager call,
      long[][] ids,
      long[][] positions,
      int[][] keyMask,
      KvCache cache,
      Sampling sampling,
      StepListener listener,
      int stepIndex,
      List<Row> rows) {
    try (NDManager m = call.newSubManager()) {
      NDArray logits =
          net.forward(m, ids, positions, keyMask, cache, true, false)
              .logits()
              .get(new NDIndex(":, 0, :")); // [rows, V]
      if (listener != null) {
        int[] sequences = rows.stream().mapToInt(r -> r.sequence).toArray();
        listener.onStep(stepIndex, sequences, logits.toFloatArray());
      }
      if (sampling.greedy()) {
        // Choose in PyTorch (argmax takes the first maximum) and copy out two numbers per row
        // instead of the whole [rows, V] distribution.
        NDArray logprobs = logits.logSoftmax(-1);
        NDArray tokens = logprobs.argMax(-1); // [rows]
        float[] chosen = logprobs.gather(tokens.expandDims(1), 1).toFloatArray(); // [rows, 1]
        long[] ids64 = tokens.toLongArray();
        int[] ids32 = new int[ids64.length];
        for (int i = 0; i < ids32.length; i++) {
          ids32[i] = (int) ids64[i];
        }
        return new Next(ids32, chosen);
      }
      return new Next(null, logits.div(sampling.temperature()).logSoftmax(-1).toFloatArray());
    }
  }

  /**
   * A step's outcome: the chosen tokens and their log-probabilities ({@code [rows]} each, greedy),
   * or only the log-probabilities of the whole vocabulary ({@code [rows, V]}) to sample from.
   */
  private record Next(int[] tokens, float[] logprobs) {}

  private static void append(Row row, int token, float logprob) {
    if (row.count == row.tokens.length) {
      row.tokens = Arrays.copyOf(row.tokens, row.count * 2);
      row.logprobs = Arrays.copyOf(row.logprobs, row.count * 2);
    }
    row.tokens[row.count] = token;
    row.logprobs[row.count] = logprob;
    row.count++;
  }

  /**
   * Tokens to decode at the end of a sequence to see every stop string that the newest token
   * completes: each token adds at least one byte, so the longest stop string's UTF-8 length, plus
   * one for a token that starts mid-character.
   */
  static int stopWindow(List<String> stops) {
    int longest = 0;
    for (String s : stops) {
      longest = Math.max(longest, s.getBytes(StandardCharsets.UTF_8).length);
    }
    return longest == 0 ? 0 : longest + 1;
  }

  private String stopIn(Row row, Sampling sampling, int window) {
    int from = Math.max(0, row.count - window);
    String tail = tokenizer.decode(Arrays.copyOfRange(row.tokens, from, row.count), false);
    for (String s : sampling.stopStrings()) {
      if (tail.contains(s)) {
        return s;
      }
    }
    return null;
  }
}
