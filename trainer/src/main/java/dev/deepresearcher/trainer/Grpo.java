package dev.deepresearcher.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GRPO's arithmetic, as DeepResearcher's verl computes it ({@code core_algos}): group-relative
 * outcome advantages, the PPO-clip policy loss, the entropy bonus and the low-variance KL penalty,
 * all token means over the loss mask.
 *
 * <pre>{@code
 * float[] adv = Grpo.advantages(scores, groupIds);   // (r − mean) / (std + 1e-6) per group
 * Grpo.Terms t = Grpo.terms(logprob, old, ref, advColumn, mask, entropy, settings);
 * NDArray loss = t.total();
 * }</pre>
 */
public final class Grpo {
  /** Added to a group's standard deviation, as verl does. */
  public static final double EPSILON = 1e-6;

  private Grpo() {}

  /**
   * The loss coefficients.
   *
   * @param clipRatio PPO's ε
   * @param klCoef weight of the low-variance KL penalty
   * @param entropyCoeff weight of the entropy bonus
   */
  public record Settings(double clipRatio, double klCoef, double entropyCoeff) {
    public Settings {
      if (!(clipRatio >= 0) || !(klCoef >= 0) || !(entropyCoeff >= 0)) {
        throw new IllegalArgumentException(
            "clip_ratio, kl_coef and entropy_coeff must be >= 0, got "
                + clipRatio
                + ", "
                + klCoef
                + ", "
                + entropyCoeff);
      }
    }
  }

  /**
   * Outcome advantages: each score minus its group's mean, over the group's unbiased standard
   * deviation plus {@link #EPSILON}. A group of one has mean 0 and standard deviation 1; a group
   * whose scores are all equal gets advantages 0. Computed in float32, as torch does.
   *
   * @param scores one per trajectory
   * @param groups each trajectory's group (its question)
   */
  public static float[] advantages(double[] scores, List<String> groups) {
    if (scores.length != groups.size()) {
      throw new IllegalArgumentException(
          scores.length
              + " scores for "
              + groups.size()
              + " group ids; give one of each per trajectory");
    }
    Map<String, List<Integer>> members = new LinkedHashMap<>();
    for (int i = 0; i < scores.length; i++) {
      members.computeIfAbsent(groups.get(i), g -> new ArrayList<>()).add(i);
    }
    float[] out = new float[scores.length];
    for (List<Integer> idx : members.values()) {
      float mean;
      float std;
      if (idx.size() == 1) {
        mean = 0f;
        std = 1f;
      } else {
        float sum = 0f;
        for (int i : idx) {
          sum += (float) scores[i];
        }
        mean = sum / idx.size();
        float sq = 0f;
        for (int i : idx) {
          float d = (float) scores[i] - mean;
          sq += d * d;
        }
        std = (float) Math.sqrt(sq / (idx.size() - 1));
      }
      for (int i : idx) {
        out[i] = ((float) scores[i] - mean) / (std + (float) EPSILON);
      }
    }
    return out;
  }

  /**
   * The loss terms of a micro-batch (scalars). {@code total = pg_loss − entropy_coeff · entropy +
   * kl_coef · kl_loss}.
   *
   * @param pgLoss the PPO-clip policy loss
   * @param clipFraction the share of tokens whose clipped objective was the binding one
   * @param approxKl the mean of {@code old − new} log-probabilities (verl's ppo_kl)
   * @param entropy the mean entropy
   * @param klLoss the mean low-variance KL to the reference ({@code 0} without one)
   * @param total the loss to minimise
   */
  public record Terms(
      NDArray pgLoss,
      NDArray clipFraction,
      NDArray approxKl,
      NDArray entropy,
      NDArray klLoss,
      NDArray total) {}

  /**
   * Computes the loss terms; every per-token array is {@code [b, L]}.
   *
   * @param logprob the policy's log-probabilities, with gradients
   * @param old the sampling policy's log-probabilities
   * @param ref the reference policy's log-probabilities, or {@code null} for no KL penalty
   * @param advantages per sequence {@code [b, 1]} (or per token {@code [b, L]})
   * @param mask 1 on the tokens the loss covers
   * @param entropy per-token entropy, or {@code null} when its coefficient is 0
   */
  public static Terms terms(
      NDArray logprob,
      NDArray old,
      NDArray ref,
      NDArray advantages,
      NDArray mask,
      NDArray entropy,
      Settings s) {
    NDArray count = mask.sum().maximum(1f);
    NDArray logRatio = logprob.sub(old); // [b, L]
    NDArray ratio = logRatio.exp();
    NDArray approxKl = maskedMean(logRatio.neg(), mask, count);
    NDArray pg1 = advantages.neg().mul(ratio);
    NDArray pg2 =
        advantages.neg().mul(ratio.clip((float) (1 - s.clipRatio()), (float) (1 + s.clipRatio())));
    NDArray pgLoss = maskedMean(NDArrays.maximum(pg1, pg2), mask, count);
    NDArray clipFraction =
        maskedMean(pg2.gt(pg1).toType(logprob.getDataType(), false), mask, count);
    NDArray total = pgLoss;
    NDArray entropyMean = entropy == null ? count.zerosLike() : maskedMean(entropy, mask, count);
    if (entropy != null && s.entropyCoeff() != 0) {
      total = total.sub(entropyMean.mul((float) s.entropyCoeff()));
    }
    NDArray klLoss = count.zerosLike();
    if (ref != null) {
      NDArray kl = ref.sub(logprob);
      NDArray kld = kl.exp().sub(kl).sub(1f).clip(-10f, 10f); // low_var_kl (k3), clamped as verl
      klLoss = maskedMean(kld, mask, count);
      if (s.klCoef() != 0) {
        total = total.add(klLoss.mul((float) s.klCoef()));
      }
    }
    return new Terms(pgLoss, clipFraction, approxKl, entropyMean, klLoss, total);
  }

  private static NDArray maskedMean(NDArray values, NDArray mask, NDArray count) {
    return values.mul(mask).sum().div(count);
  }
}
