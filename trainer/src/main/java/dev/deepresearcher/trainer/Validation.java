package dev.deepresearcher.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepresearcher.core.actor.ActorRef;
import dev.deepresearcher.rollout.Prompt;
import dev.deepresearcher.rollout.RewardActor;
import dev.deepresearcher.rollout.RolloutPool;
import dev.deepresearcher.rollout.RolloutResult;
import dev.deepresearcher.rollout.RolloutWriter;
import dev.deepresearcher.trainer.internal.RunFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Validation of the current policy: one rollout per validation question, at {@code
 * trainer.val_temperature}, scored with DeepResearcher's evaluation F1 and EM per data source. The
 * rollouts go to {@code validation/step-N.jsonl} (readable by {@code calculate-metrics}), the
 * figures to {@code metrics.jsonl} and the console.
 */
public final class Validation {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A validation's figures.
   *
   * @param step the GRPO step it followed (0: before training)
   * @param questions how many questions
   * @param reward the mean training reward
   * @param f1 the mean evaluation F1
   * @param em the mean exact match
   * @param f1BySource the mean F1 per data source
   */
  public record Result(
      long step,
      int questions,
      double reward,
      double f1,
      double em,
      Map<String, Double> f1BySource) {
    public Result {
      f1BySource = Map.copyOf(f1BySource);
    }
  }

  private final RolloutPool pool;
  private final ActorRef<RewardActor> reward;
  private final List<Prompt> prompts;
  private final double temperature;
  private final long seed;
  private final Path runDir;

  public Validation(
      RolloutPool pool,
      ActorRef<RewardActor> reward,
      List<Prompt> prompts,
      double temperature,
      long seed,
      Path runDir) {
    this.pool = pool;
    this.reward = reward;
    this.prompts = List.copyOf(prompts);
    this.temperature = temperature;
    this.seed = seed;
    this.runDir = runDir;
  }

  /** Validates after {@code step}. */
  public Result run(long step, PrintStream log) throws IOException {
    // The same seed every time: validations differ only by the policy.
    RolloutResult r = pool.run(prompts, 1, seed ^ 0x5DEECE66DL, temperature);
    List<RewardActor.Score> scores =
        reward.call(RewardActor::score, RewardActor.items(r.trajectories())).join();
    Result result = summarize(step, r, scores);
    if (runDir != null) {
      RolloutWriter.jsonl(
          runDir.resolve("validation").resolve("step-" + step + ".jsonl"),
          r.trajectories(),
          scores);
      ObjectNode line = JSON.createObjectNode();
      line.put("kind", "validation");
      line.put("step", step);
      line.put("questions", result.questions());
      line.put("reward_mean", result.reward());
      line.put("f1", result.f1());
      line.put("em", result.em());
      ObjectNode bySource = line.putObject("f1_by_source");
      result.f1BySource().forEach(bySource::put);
      RunFiles.appendMetrics(runDir, line);
    }
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "validation after step %d: %d questions, reward %.3f, F1 %.3f, EM %.3f",
            step,
            result.questions(),
            result.reward(),
            result.f1(),
            result.em()));
    if (result.f1BySource().size() > 1) {
      result
          .f1BySource()
          .forEach((k, v) -> sb.append(String.format(Locale.ROOT, "; %s %.3f", k, v)));
    }
    log.println(sb);
    return result;
  }

  /** The figures of scored rollouts. */
  public static Result summarize(long step, RolloutResult r, List<RewardActor.Score> scores) {
    int n = r.trajectories().size();
    double rewardSum = 0;
    double f1 = 0;
    double em = 0;
    Map<String, double[]> bySource = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      RewardActor.Score s = scores.get(i);
      rewardSum += s.reward();
      f1 += s.f1();
      em += s.em();
      double[] acc =
          bySource.computeIfAbsent(
              r.trajectories().get(i).prompt().dataSource(), k -> new double[2]);
      acc[0] += s.f1();
      acc[1]++;
    }
    Map<String, Double> perSource = new TreeMap<>();
    bySource.forEach((k, v) -> perSource.put(k.isEmpty() ? "unknown" : k, v[0] / v[1]));
    double c = Math.max(1, n);
    return new Result(step, n, rewardSum / c, f1 / c, em / c, perSource);
  }
}
