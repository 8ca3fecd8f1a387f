package dev.deepresearcher.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.deepresearcher.policy.internal.Generator;
import dev.deepresearcher.policy.internal.Qwen2Net;
import dev.deepresearcher.policy.internal.Safetensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Greedy generation with the KV cache against transformers' {@code generate()}: the same 8 tokens
 * for both left-padded rows of every reference model, the logits of every step within 1e-4, and the
 * reported log-probabilities equal to log_softmax of those logits at the chosen tokens.
 */
class GenerationGoldenTest {
  static List<GoldenFixture> fixtures() {
    return GoldenFixture.all();
  }

  /** The unpadded prompts of the fixture's batch. */
  static List<int[]> prompts(GoldenFixture f) {
    long[][] ids = f.longs2d("input_ids");
    int[][] mask = f.mask();
    List<int[]> prompts = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      List<Integer> p = new ArrayList<>();
      for (int j = 0; j < ids[i].length; j++) {
        if (mask[i][j] == 1) {
          p.add((int) ids[i][j]);
        }
      }
      prompts.add(p.stream().mapToInt(Integer::intValue).toArray());
    }
    return prompts;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void greedyTokensAndStepLogitsMatchTransformers(GoldenFixture f) {
    ModelConfig config = ModelConfig.load(f.model());
    int v = config.vocabSize();
    long[] wantTokens = longs(f, "generated_new_tokens"); // [2, 8]
    float[] wantLogits = f.floats("generation_step_logits"); // [8, 2, V]
    int steps = (int) f.shape("generation_step_logits")[0];
    int rows = (int) f.shape("generation_step_logits")[1];
    float[][] seen = new float[steps][];
    // The fixture's generate() ran without an end-of-sequence token: none stops it here either.
    try (Qwen2Net net = Qwen2Net.load(f.model(), config, Device.cpu());
        Tokenizer tok = Tokenizer.load(GoldenFixture.resource("tokenizer"))) {
      Generator generator = new Generator(net, tok, Set.of());
      List<Generation> out =
          generator.generate(
              prompts(f),
              Sampling.greedy(steps),
              null,
              (step, sequences, logits) -> {
                assertArrayEquals(new int[] {0, 1}, sequences, "no row leaves before the end");
                seen[step] = logits;
              });
      double maxDiff = 0;
      for (int s = 0; s < steps; s++) {
        assertEquals(rows * v, seen[s].length);
        for (int k = 0; k < rows * v; k++) {
          maxDiff = Math.max(maxDiff, Math.abs(seen[s][k] - wantLogits[s * rows * v + k]));
        }
      }
      System.out.printf(Locale.ROOT, "%s: max |step logit diff| %.2e%n", f, maxDiff);
      assertTrue(maxDiff <= Qwen2GoldenTest.TOLERANCE, "step logits differ by " + maxDiff);
      for (int r = 0; r < rows; r++) {
        Generation g = out.get(r);
        long[] want = Arrays.copyOfRange(wantTokens, r * steps, (r + 1) * steps);
        assertArrayEquals(
            Arrays.stream(want).mapToInt(x -> (int) x).toArray(), g.tokens(), f + " row " + r);
        assertEquals(FinishReason.LENGTH, g.finishReason());
        for (int s = 0; s < steps; s++) {
          double lp = logSoftmaxAt(wantLogits, (s * rows + r) * v, v, (int) want[s]);
          assertEquals(lp, g.logprobs()[s], 1e-4, "log-prob of step " + s);
        }
      }
    }
  }

  static double logSoftmaxAt(float[] logits, int offset, int v, int token) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < v; i++) {
      max = Math.max(max, logits[offset + i]);
    }
    double sum = 0;
    for (int i = 0; i < v; i++) {
      sum += Math.exp(logits[offset + i] - max);
    }
    return logits[offset + token] - max - Math.log(sum);
  }

  static long[] longs(GoldenFixture f, String name) {
    try (Safetensors st = Safetensors.open(f.tensors())) {
      return st.longs(name);
    }
  }
}
