package dev.deepresearcher.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.config.LrSchedule;
import dev.deepresearcher.core.config.PolicyConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * AdamW with gradient clipping, and the learning-rate schedules, against torch.optim.AdamW with
 * clip_grad_norm_ and transformers' schedules (training/optimizer_cases.json, written by
 * tools/reference/training_reference.py).
 */
class OptimizerTest {
  static JsonNode cases() throws IOException {
    try (InputStream in =
        OptimizerTest.class.getResourceAsStream("/training/optimizer_cases.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).asDouble();
    }
    return out;
  }

  @Test
  void adamWWithClippingFollowsTorchStepByStep() throws IOException {
    for (JsonNode c : cases().get("adamw")) {
      Double max = c.get("max_grad_norm").isNull() ? null : c.get("max_grad_norm").asDouble();
      PolicyConfig.Optimizer settings =
          new PolicyConfig.Optimizer(
              c.get("lr").asDouble(), 0.9, 0.999, 1e-8, c.get("weight_decay").asDouble(), max);
      try (NDManager m = NDManager.newBaseManager()) {
        NDArray p = m.create(floats(c.get("initial")), new Shape(3, 4));
        p.setRequiresGradient(true);
        Qwen2Net.Leaf leaf = new Qwen2Net.Leaf("p", p, List.of(new Qwen2Net.Part("p", 0, 3)));
        try (AdamW adam = new AdamW(List.of(leaf), settings, m)) {
          int step = 0;
          for (JsonNode s : c.get("steps")) {
            NDArray g = m.create(floats(s.get("grad")), new Shape(3, 4));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              gc.backward(p.mul(g).sum()); // d/dp = g
            }
            double norm = adam.gradientNorms().get("p");
            if (max != null) {
              assertEquals(s.get("grad_norm").asDouble(), norm, 1e-4 * norm, "norm, step " + step);
              if (norm > max) {
                adam.scaleGradients(max / (norm + 1e-6));
              }
            }
            adam.step(settings.lr());
            adam.zeroGradients();
            float[] want = floats(s.get("after"));
            float[] got = p.toFloatArray();
            for (int i = 0; i < want.length; i++) {
              assertEquals(
                  want[i], got[i], 2e-6, String.format(Locale.ROOT, "step %d element %d", step, i));
            }
            step++;
          }
        }
      }
    }
  }

  @Test
  void schedulesGiveTransformersLearningRates() throws IOException {
    for (JsonNode s : cases().get("schedules")) {
      LrSchedule name = LrSchedule.valueOf(s.get("name").asText().toUpperCase(Locale.ROOT));
      PolicyConfig.Schedule schedule =
          new PolicyConfig.Schedule(
              name,
              s.get("warmup_steps").asInt(),
              s.get("total_steps").isNull() ? null : s.get("total_steps").asInt(),
              s.get("min_lr_ratio").asDouble());
      JsonNode lrs = s.get("lrs");
      for (int i = 0; i < lrs.size(); i++) {
        assertEquals(
            lrs.get(i).asDouble(),
            Schedules.lr(schedule, s.get("peak").asDouble(), i),
            1e-12,
            name + " at step " + i);
      }
    }
  }
}
