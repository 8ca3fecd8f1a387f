package dev.deepresearcher.trainer.demo;

import dev.deepresearcher.policy.PolicyTrainer;
import dev.deepresearcher.policy.Tokenizer;
import dev.deepresearcher.policy.TrainingSequence;
import dev.deepresearcher.rollout.Trajectory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether the policy copies a fact out of a tool response into its answer: the probability,
 * teacher-forced, that the policy writes the answer's tokens where the careful demonstrator's last
 * turn writes them ({@code <think>It says born in X.</think> <answer> X</answer>}), given the
 * trajectory up to there, averaged over demonstrations.
 *
 * <p>A model this small picks the skill up in phase changes at run-dependent steps, one per kind of
 * tool response: before them the probability stays near chance, after them it jumps towards 1. A
 * search snippet's city and country come sooner than a browsed page's instrument, often hundreds of
 * steps apart. The demo's SFT stage trains until this probe, on demonstrations of the dev
 * questions, reaches {@code demo.sft_copy_target} for every kind of question.
 */
final class CopyingProbe {
  private final List<TrainingSequence> sequences = new ArrayList<>();
  // Per sequence: the positions of the answer's tokens (each predicted from the one before it).
  private final List<int[]> positions = new ArrayList<>();
  private final List<String> kinds = new ArrayList<>();

  /**
   * @param demos careful demonstrations that end with an answer read from a tool response
   * @param tokenizer the policy's tokenizer
   * @throws IllegalArgumentException if no demonstration writes its answer in its last turn
   */
  CopyingProbe(List<Trajectory> demos, Tokenizer tokenizer) {
    for (Trajectory t : demos) {
      int[] at = answerPositions(t, tokenizer);
      if (at.length > 0) {
        sequences.add(t.trainingSequence());
        positions.add(at);
        kinds.add(t.prompt().dataSource());
      }
    }
    if (sequences.isEmpty()) {
      throw new IllegalArgumentException(
          "none of the "
              + demos.size()
              + " probe demonstrations writes its answer in its last turn; the probe needs careful"
              + " demonstrations that answer after a tool response");
    }
  }

  /** Probe demonstrations in use. */
  int size() {
    return sequences.size();
  }

  /**
   * The mean over demonstrations of the probability of all their answer tokens in their last turn,
   * under the trainer's current weights, per kind of question (the prompts' data source, in order
   * of first appearance): each in [0, 1].
   */
  Map<String, Double> answerProbability(PolicyTrainer trainer) {
    List<float[]> logprobs = trainer.logprobs(sequences, false);
    Map<String, double[]> sums = new LinkedHashMap<>();
    for (int k = 0; k < sequences.size(); k++) {
      double logp = 0;
      for (int i : positions.get(k)) {
        // logprobs[j] is about token j + 1.
        logp += logprobs.get(k)[i - 1];
      }
      double[] sum = sums.computeIfAbsent(kinds.get(k), x -> new double[2]);
      sum[0] += Math.exp(logp);
      sum[1]++;
    }
    Map<String, Double> out = new LinkedHashMap<>();
    sums.forEach((kind, sum) -> out.put(kind, sum[0] / sum[1]));
    return out;
  }

  /**
   * The positions of the answer's tokens at each of their occurrences in the trajectory's last
   * turn, or none if they are not there (a guess, a trajectory without tools, or a tokenization
   * that merges them with what follows).
   */
  static int[] answerPositions(Trajectory t, Tokenizer tokenizer) {
    int[] ids = t.ids();
    boolean[] mask = t.lossMask();
    int last = -1;
    for (int i = Math.max(1, t.promptTokens()); i < ids.length; i++) {
      if (mask[i] && !mask[i - 1]) {
        last = i;
      }
    }
    if (last < 0 || t.toolCalls() == 0 || t.prompt().groundTruths().isEmpty()) {
      return new int[0];
    }
    int[] answer = tokenizer.encode(" " + t.prompt().groundTruths().get(0));
    List<Integer> out = new ArrayList<>();
    for (int i = last; i + answer.length <= ids.length && mask[i]; i++) {
      if (Arrays.equals(ids, i, i + answer.length, answer, 0, answer.length)) {
        for (int j = 0; j < answer.length; j++) {
          out.add(i + j);
        }
        i += answer.length - 1;
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
