package dev.deepresearcher.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepresearcher.trainer.internal.Plots;
import dev.deepresearcher.trainer.internal.RunFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The console's line per step (with a progress bar) and the run's plots. */
final class StepLog {
  private static final int BAR = 20;

  private StepLog() {}

  /** {@code [#####...] 5/20 reward 0.41±0.52 F1 0.44 …}. */
  static String line(long step, long total, StepMetrics m) {
    int filled = (int) (BAR * step / Math.max(1, total));
    String bar = "#".repeat(filled) + ".".repeat(BAR - filled);
    return String.format(
        Locale.ROOT,
        "[%s] %d/%d reward %.3f±%.3f F1 %.3f fmt-err %.2f tool-err %.2f turns %.2f calls %.2f"
            + " len %.0f | kl %.4f clip %.3f ent %.3f grad %.3f | gen %.1fs tools %.1fs reward"
            + " %.1fs update %.1fs",
        bar,
        step,
        total,
        m.get("reward_mean"),
        m.get("reward_std"),
        m.get("f1"),
        m.get("end_format_error"),
        m.get("end_tool_error"),
        m.get("turns"),
        m.get("tool_calls"),
        m.get("response_tokens"),
        m.get("kl_loss"),
        m.get("clip_fraction"),
        m.get("entropy"),
        m.get("grad_norm"),
        m.get("generate_s"),
        m.get("tools_wait_s"),
        m.get("reward_s"),
        m.get("update_s"));
  }

  /** {@code reward.png} and {@code f1.png} from {@code metrics.jsonl}. */
  static void plots(Path runDir) throws IOException {
    List<double[]> reward = new ArrayList<>();
    List<double[]> f1 = new ArrayList<>();
    List<double[]> valReward = new ArrayList<>();
    List<double[]> valF1 = new ArrayList<>();
    for (JsonNode line : RunFiles.metrics(runDir)) {
      double step = line.path("step").asDouble();
      boolean val = "validation".equals(line.path("kind").asText());
      (val ? valReward : reward).add(new double[] {step, line.path("reward_mean").asDouble()});
      (val ? valF1 : f1).add(new double[] {step, line.path("f1").asDouble()});
    }
    Plots.draw(
        runDir.resolve("reward.png"),
        "Reward over GRPO steps",
        "reward",
        List.of(
            new Plots.Series("train (mean of rollouts)", reward),
            new Plots.Series("validation", valReward)),
        -1,
        1);
    Plots.draw(
        runDir.resolve("f1.png"),
        "F1 over GRPO steps",
        "F1",
        List.of(new Plots.Series("train", f1), new Plots.Series("validation", valF1)),
        0,
        1);
  }
}
