package dev.deepresearcher.trainer;

import ai.djl.ndarray.NDArray;
import dev.deepresearcher.policy.LossInputs;
import dev.deepresearcher.policy.SequenceLoss;
import java.util.List;
import java.util.Objects;

/**
 * GRPO's loss for {@code PolicyTrainer.step}: {@link Grpo#terms} over each micro-batch, with the
 * batch's advantages, sampling log-probabilities and reference log-probabilities looked up by
 * sequence. Reports {@code pg_loss}, {@code clip_fraction}, {@code approx_kl}, {@code entropy} and
 * {@code kl_loss} as step metrics.
 *
 * @param advantages one per sequence of the step's batch
 * @param oldLogprobs per sequence, the sampling log-probabilities laid out as {@link
 *     LossInputs#perToken}
 * @param refLogprobs the same under the reference policy, or {@code null} without a KL penalty
 * @param settings the coefficients
 */
public record GrpoLoss(
    float[] advantages,
    List<float[]> oldLogprobs,
    List<float[]> refLogprobs,
    Grpo.Settings settings)
    implements SequenceLoss {
  public GrpoLoss {
    Objects.requireNonNull(advantages, "advantages");
    oldLogprobs = List.copyOf(oldLogprobs);
    refLogprobs = refLogprobs == null ? null : List.copyOf(refLogprobs);
    Objects.requireNonNull(settings, "settings");
    if (oldLogprobs.size() != advantages.length
        || (refLogprobs != null && refLogprobs.size() != advantages.length)) {
      throw new IllegalArgumentException(
          "per-sequence inputs disagree: "
              + advantages.length
              + " advantages, "
              + oldLogprobs.size()
              + " old and "
              + (refLogprobs == null ? "no" : refLogprobs.size())
              + " reference log-probabilities");
    }
  }

  @Override
  public NDArray loss(LossInputs in) {
    NDArray old = in.perToken(oldLogprobs);
    NDArray ref = refLogprobs == null ? null : in.perToken(refLogprobs);
    NDArray entropy = settings.entropyCoeff() != 0 ? in.entropy() : null;
    Grpo.Terms t =
        Grpo.terms(
            in.logprobs(), old, ref, in.perSequence(advantages), in.mask(), entropy, settings);
    in.metric("pg_loss", t.pgLoss());
    in.metric("clip_fraction", t.clipFraction());
    in.metric("approx_kl", t.approxKl());
    in.metric("kl_loss", t.klLoss());
    if (entropy != null) {
      in.metric("entropy", t.entropy());
    }
    return t.total();
  }
}
