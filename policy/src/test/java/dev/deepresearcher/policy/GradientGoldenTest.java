package dev.deepresearcher.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepresearcher.core.config.PolicyDevice;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The loss and its gradients against transformers + torch autograd: the mean next-token negative
 * log-likelihood of every fixture's batch (targets where a token and the one before it are real),
 * the fixture's gradient tensors and every parameter's gradient norm, within 1e-3 relative.
 */
class GradientGoldenTest {
  static final double RELATIVE = 1e-3;

  static List<GoldenFixture> fixtures() {
    return GoldenFixture.all();
  }

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void lossAndGradientsMatchTorchAutograd(GoldenFixture f) {
    JsonNode golden = f.json().get("loss");
    List<TrainingSequence> batch = new ArrayList<>();
    for (int[] prompt : GenerationGoldenTest.prompts(f)) {
      boolean[] mask = new boolean[prompt.length];
      Arrays.fill(mask, 1, prompt.length, true);
      batch.add(new TrainingSequence(prompt, mask));
    }
    try (Policy policy = Policy.load(f.loadableModel(tmp), PolicyDevice.CPU, 0);
        PolicyTrainer trainer =
            PolicyTrainer.create(policy, TrainingFixtures.full(1e-3, batch.size()), 0)) {
      PolicyTrainer.Accumulated acc = trainer.accumulate(batch, TrainingFixtures.MEAN_NLL, 0);
      double wantLoss = golden.get("loss").asDouble();
      System.out.printf(Locale.ROOT, "%s: loss %.7f, transformers %.7f%n", f, acc.loss(), wantLoss);
      assertEquals(wantLoss, acc.loss(), RELATIVE * wantLoss, "loss");
      assertEquals(golden.get("n_targets").asLong(), acc.tokens());

      // The gradient tensors the fixture stores, element by element.
      int compared = 0;
      double worst = 0;
      for (String tensor : f.tensorNames()) {
        if (!tensor.startsWith("grad.")) {
          continue;
        }
        String name = tensor.substring("grad.".length());
        float[] want = f.floats(tensor);
        float[] got = trainer.gradient(name);
        assertEquals(want.length, got.length, name);
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < want.length; i++) {
          scale = Math.max(scale, Math.abs(want[i]));
          diff = Math.max(diff, Math.abs(want[i] - got[i]));
        }
        worst = Math.max(worst, diff / scale);
        assertTrue(diff <= RELATIVE * scale, name + ": max diff " + diff + " at scale " + scale);
        compared++;
      }
      assertTrue(compared >= 5, "the fixture stores gradient tensors");

      // Every parameter's gradient norm.
      double worstNorm = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = golden.get("per_param_grad_l2_norm").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        double want = e.getValue().asDouble();
        double got = norm(trainer.gradient(e.getKey()));
        worstNorm = Math.max(worstNorm, Math.abs(got - want) / want);
        assertEquals(want, got, RELATIVE * want, e.getKey() + " gradient norm");
      }
      System.out.printf(
          Locale.ROOT,
          "%s: worst relative gradient difference %.2e, worst norm difference %.2e%n",
          f,
          worst,
          worstNorm);
      trainer.zeroGradients();
    }
  }

  static double norm(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += (double) v * v;
    }
    return Math.sqrt(sum);
  }
}
