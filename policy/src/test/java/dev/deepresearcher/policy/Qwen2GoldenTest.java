package dev.deepresearcher.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.deepresearcher.policy.internal.Qwen2Net;
import dev.deepresearcher.policy.internal.Safetensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Java decoder against transformers' numbers for every reference model. */
class Qwen2GoldenTest {
  static final double TOLERANCE = 1e-4;

  static List<GoldenFixture> fixtures() {
    return GoldenFixture.all();
  }

  /** Largest |a - b| over the positions where the mask is 1 ({@code [B, T, width]} layout). */
  static double maxDiffWhereMasked(float[] a, float[] b, int[][] mask, int width) {
    double max = 0;
    int t = mask[0].length;
    for (int i = 0; i < mask.length; i++) {
      for (int j = 0; j < t; j++) {
        if (mask[i][j] != 1) {
          continue;
        }
        int base = (i * t + j) * width;
        for (int k = 0; k < width; k++) {
          max = Math.max(max, Math.abs(a[base + k] - b[base + k]));
        }
      }
    }
    return max;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void logitsAndHiddenStatesMatchTransformers(GoldenFixture f) {
    ModelConfig config = ModelConfig.load(f.model());
    try (Qwen2Net net = Qwen2Net.load(f.model(), config, Device.cpu());
        NDManager m = net.manager().newSubManager()) {
      int[][] mask = f.mask();
      Qwen2Net.Output out =
          net.forward(
              m, f.longs2d("input_ids"), f.longs2d("position_ids"), mask, null, false, true);
      float[] logits = out.logits().toFloatArray();
      if (f.has("logits")) {
        float[] want = f.floats("logits");
        assertEquals(want.length, logits.length);
        double logitDiff = maxDiffWhereMasked(logits, want, mask, config.vocabSize());
        System.out.printf(Locale.ROOT, "%s: max |logit diff| %.2e%n", f, logitDiff);
        assertTrue(logitDiff <= TOLERANCE, "logits differ by " + logitDiff);
      }
      // The last position's logits: every fixture has them (the last position is never padding).
      float[] last = f.floats("last_logits");
      int v = config.vocabSize();
      int t = mask[0].length;
      double lastDiff = 0;
      for (int i = 0; i < mask.length; i++) {
        for (int k = 0; k < v; k++) {
          lastDiff =
              Math.max(lastDiff, Math.abs(logits[(i * t + t - 1) * v + k] - last[i * v + k]));
        }
      }
      System.out.printf(Locale.ROOT, "%s: max |last-position logit diff| %.2e%n", f, lastDiff);
      assertTrue(lastDiff <= TOLERANCE, "last-position logits differ by " + lastDiff);
      if (!f.has("hs_embed")) {
        return; // this fixture carries no hidden states
      }

      List<String> names = new ArrayList<>(List.of("hs_embed"));
      for (int l = 0; l < config.numLayers(); l++) {
        names.add("hs_layer" + l);
      }
      names.add("hs_final_norm");
      assertEquals(names.size(), out.hiddenStates().size());
      for (int i = 0; i < names.size(); i++) {
        double d =
            maxDiffWhereMasked(
                out.hiddenStates().get(i).toFloatArray(),
                f.floats(names.get(i)),
                mask,
                config.hiddenSize());
        assertTrue(d <= TOLERANCE, names.get(i) + " differs by " + d);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void nextTokenLogProbsMatchTransformers(GoldenFixture f) {
    ModelConfig config = ModelConfig.load(f.model());
    try (Qwen2Net net = Qwen2Net.load(f.model(), config, Device.cpu());
        NDManager m = net.manager().newSubManager()) {
      long[][] ids = f.longs2d("input_ids");
      int[][] mask = f.mask();
      Qwen2Net.Output out =
          net.forward(m, ids, f.longs2d("position_ids"), mask, null, false, false);
      float[] logProbs = out.logits().logSoftmax(-1).toFloatArray();
      float[] want = f.floats("next_token_logprobs");
      long[] wantMask = longs(f, "next_token_logprob_mask");
      int t = ids[0].length;
      int v = config.vocabSize();
      double max = 0;
      for (int i = 0; i < ids.length; i++) {
        for (int j = 0; j < t - 1; j++) {
          if (wantMask[i * (t - 1) + j] != 1) {
            continue;
          }
          float got = logProbs[(i * t + j) * v + (int) ids[i][j + 1]];
          max = Math.max(max, Math.abs(got - want[i * (t - 1) + j]));
        }
      }
      assertTrue(max <= TOLERANCE, "next-token log-probs differ by " + max);
    }
  }

  private static long[] longs(GoldenFixture f, String name) {
    try (Safetensors st = Safetensors.open(f.tensors())) {
      return st.longs(name);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void fullyMaskedPaddingRowsStayFinite(GoldenFixture f) {
    // A left-padding position may attend to no key at all (all earlier keys are padding too): its
    // softmax row is fully masked and must come out uniform, not NaN, or NaN spreads through
    // the batch.
    ModelConfig config = ModelConfig.load(f.model());
    try (Qwen2Net net = Qwen2Net.load(f.model(), config, Device.cpu());
        NDManager m = net.manager().newSubManager()) {
      int[][] mask = f.mask();
      boolean padded = Arrays.stream(mask).anyMatch(row -> row[0] == 0);
      assertTrue(padded, "the fixture's batch has a left-padded row");
      Qwen2Net.Output out =
          net.forward(
              m, f.longs2d("input_ids"), f.longs2d("position_ids"), mask, null, false, true);
      for (float x : out.logits().toFloatArray()) {
        assertTrue(Float.isFinite(x), "a logit is " + x);
      }
      for (NDArray h : out.hiddenStates()) {
        for (float x : h.toFloatArray()) {
          assertTrue(Float.isFinite(x), "a hidden state is " + x);
        }
      }
    }
  }
}
