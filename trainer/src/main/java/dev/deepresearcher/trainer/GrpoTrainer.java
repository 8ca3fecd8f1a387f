package dev.deepresearcher.trainer;

import dev.deepresearcher.core.actor.ActorRef;
import dev.deepresearcher.core.config.TrainerConfig;
import dev.deepresearcher.policy.PolicyTrainer;
import dev.deepresearcher.policy.StepReport;
import dev.deepresearcher.policy.TrainingSequence;
import dev.deepresearcher.rollout.Prompt;
import dev.deepresearcher.rollout.RewardActor;
import dev.deepresearcher.rollout.RolloutPool;
import dev.deepresearcher.rollout.RolloutResult;
import dev.deepresearcher.rollout.Trajectory;
import dev.deepresearcher.rollout.TrajectoryEnd;
import dev.deepresearcher.rollout.Turn;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One GRPO step after another: rollouts of {@code n} trajectories per question on the rollout
 * actors, rewards on the reward actor, group-relative advantages, PPO-clip updates (mini-batches,
 * PPO epochs, micro-batches with gradient accumulation, clipping, AdamW) and the new weights pushed
 * to the rollout actors.
 *
 * <p>Trajectories that ended on a tool failure ({@code tool_error}) say nothing about the policy:
 * they are scored and logged but left out of the advantages and the update.
 *
 * <pre>{@code
 * GrpoTrainer grpo = new GrpoTrainer(config.trainer(), config.rollout().n(), trainer, pool, reward);
 * GrpoTrainer.Step s = grpo.step(prompts, seed);
 * System.out.println(s.metrics().get("reward_mean"));
 * }</pre>
 */
public final class GrpoTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(GrpoTrainer.class);

  private final TrainerConfig config;
  private final int n;
  private final PolicyTrainer trainer;
  private final RolloutPool pool;
  private final ActorRef<RewardActor> reward;
  private final Grpo.Settings settings;

  public GrpoTrainer(
      TrainerConfig config,
      int n,
      PolicyTrainer trainer,
      RolloutPool pool,
      ActorRef<RewardActor> reward) {
    this.config = Objects.requireNonNull(config, "config");
    this.n = n;
    this.trainer = Objects.requireNonNull(trainer, "trainer");
    this.pool = Objects.requireNonNull(pool, "pool");
    this.reward = Objects.requireNonNull(reward, "reward");
    this.settings = new Grpo.Settings(config.clipRatio(), config.klCoef(), config.entropyCoeff());
  }

  /** A step's outcome: its figures, its trajectories and their scores. */
  public record Step(
      StepMetrics metrics, List<Trajectory> trajectories, List<RewardActor.Score> scores) {
    public Step {
      trajectories = List.copyOf(trajectories);
      scores = List.copyOf(scores);
    }
  }

  /** Runs one step on {@code prompts}; the sampling is seeded with {@code seed}. */
  public Step step(List<Prompt> prompts, long seed) {
    long t0 = System.nanoTime();
    RolloutResult rollout = pool.run(prompts, n, seed);
    long t1 = System.nanoTime();
    List<Trajectory> all = rollout.trajectories();
    List<RewardActor.Score> scores = reward.call(RewardActor::score, RewardActor.items(all)).join();
    long t2 = System.nanoTime();

    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).end() != TrajectoryEnd.TOOL_ERROR) {
        kept.add(i);
      }
    }
    Map<String, Double> update = kept.isEmpty() ? Map.of() : update(all, scores, kept);
    long t3 = System.nanoTime();

    Map<String, Double> m = new LinkedHashMap<>();
    m.putAll(outcomeMetrics(all, scores));
    m.putAll(update);
    m.put("generate_s", rollout.stats().generateMillis() / 1e3);
    m.put("tools_wait_s", rollout.stats().toolWaitMillis() / 1e3);
    m.put("rollout_s", (t1 - t0) / 1e9);
    m.put("reward_s", (t2 - t1) / 1e9);
    m.put("update_s", (t3 - t2) / 1e9);
    m.put("step_s", (t3 - t0) / 1e9);
    return new Step(new StepMetrics(trainer.steps(), m), all, scores);
  }

  /** Advantages, the PPO updates and the weights push; returns the update's figures. */
  private Map<String, Double> update(
      List<Trajectory> all, List<RewardActor.Score> scores, List<Integer> kept) {
    double[] rewards = new double[kept.size()];
    List<String> groups = new ArrayList<>();
    List<TrainingSequence> sequences = new ArrayList<>();
    List<float[]> old = new ArrayList<>();
    for (int k = 0; k < kept.size(); k++) {
      Trajectory t = all.get(kept.get(k));
      rewards[k] = scores.get(kept.get(k)).reward();
      // Trajectories come back n per question in question order: the group is that position
      // (ids may repeat across files, or a question twice in a batch across an epoch's end).
      groups.add(String.valueOf(kept.get(k) / n));
      sequences.add(t.trainingSequence());
      old.add(t.oldLogprobs());
    }
    float[] advantages = Grpo.advantages(rewards, groups);
    List<float[]> ref = config.klCoef() > 0 ? trainer.logprobs(sequences, true) : null;
    // Mini-batches hold whole groups: ppo_mini_batch_size questions each.
    List<List<Integer>> miniBatches = new ArrayList<>();
    Map<String, List<Integer>> byGroup = new LinkedHashMap<>();
    for (int k = 0; k < groups.size(); k++) {
      byGroup.computeIfAbsent(groups.get(k), g -> new ArrayList<>()).add(k);
    }
    List<Integer> current = new ArrayList<>();
    int questions = 0;
    for (List<Integer> members : byGroup.values()) {
      current.addAll(members);
      if (++questions == config.ppoMiniBatchSize()) {
        miniBatches.add(current);
        current = new ArrayList<>();
        questions = 0;
      }
    }
    if (!current.isEmpty()) {
      miniBatches.add(current);
    }
    Map<String, Double> sums = new LinkedHashMap<>();
    int updates = 0;
    int skipped = 0;
    double gradNorm = 0;
    double lr = 0;
    for (int epoch = 0; epoch < config.ppoEpochs(); epoch++) {
      for (List<Integer> group : miniBatches) {
        // Similar lengths share a micro-batch: less padding, and attention's cost grows with the
        // square of the longest sequence in it.
        List<Integer> mb = new ArrayList<>(group);
        mb.sort(Comparator.comparingInt(k -> sequences.get(k).length()));
        List<TrainingSequence> seqs = new ArrayList<>();
        float[] adv = new float[mb.size()];
        List<float[]> o = new ArrayList<>();
        List<float[]> r = ref == null ? null : new ArrayList<>();
        for (int i = 0; i < mb.size(); i++) {
          int k = mb.get(i);
          seqs.add(sequences.get(k));
          adv[i] = advantages[k];
          o.add(old.get(k));
          if (r != null) {
            r.add(ref.get(k));
          }
        }
        StepReport report = trainer.step(seqs, new GrpoLoss(adv, o, r, settings));
        updates++;
        if (report.skipped()) {
          skipped++;
          LOG.warn(
              "update {} skipped: the gradient norm is {} (a NaN or infinite loss); the weights"
                  + " are unchanged",
              report.step(),
              report.gradNorm());
        }
        gradNorm = report.gradNorm();
        lr = report.lr();
        sums.merge("loss", report.loss(), Double::sum);
        report.metrics().forEach((k, v) -> sums.merge(k, v, Double::sum));
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : sums.entrySet()) {
      out.put(e.getKey(), e.getValue() / updates);
    }
    out.put("grad_norm", gradNorm);
    out.put("lr", lr);
    out.put("updates_skipped", (double) skipped);
    double zero = 0;
    for (float a : advantages) {
      zero += a == 0f ? 1 : 0;
    }
    out.put("zero_advantage_fraction", zero / advantages.length);
    out.put("weights_version", (double) pool.pushWeights(trainer.exportWeights()));
    return out;
  }

  /** Rewards, F1 and how the trajectories went. */
  static Map<String, Double> outcomeMetrics(List<Trajectory> all, List<RewardActor.Score> scores) {
    Map<String, Double> m = new LinkedHashMap<>();
    int count = all.size();
    double rewardSum = 0;
    double rewardSq = 0;
    double f1 = 0;
    double em = 0;
    double turns = 0;
    double calls = 0;
    double sampled = 0;
    double tokens = 0;
    Map<TrajectoryEnd, Integer> ends = new LinkedHashMap<>();
    for (TrajectoryEnd e : TrajectoryEnd.values()) {
      ends.put(e, 0);
    }
    for (int i = 0; i < count; i++) {
      Trajectory t = all.get(i);
      double r = scores.get(i).reward();
      rewardSum += r;
      rewardSq += r * r;
      f1 += scores.get(i).f1();
      em += scores.get(i).em();
      turns += t.turns().size();
      calls += t.toolCalls();
      sampled += t.sampledTokens();
      tokens += t.ids().length;
      ends.merge(t.end(), 1, Integer::sum);
      for (Turn turn : t.turns()) {
        if (turn.call() != null) {
          m.merge("calls_" + turn.call().tool(), 1.0 / count, Double::sum);
        }
      }
    }
    double c = Math.max(1, count);
    double mean = rewardSum / c;
    m.put("reward_mean", mean);
    m.put(
        "reward_std",
        count > 1 ? Math.sqrt(Math.max(0, (rewardSq - c * mean * mean) / (c - 1))) : 0);
    m.put("f1", f1 / c);
    m.put("em", em / c);
    for (Map.Entry<TrajectoryEnd, Integer> e : ends.entrySet()) {
      m.put("end_" + e.getKey().jsonName(), e.getValue() / c);
    }
    m.put("turns", turns / c);
    m.put("tool_calls", calls / c);
    m.put("response_tokens", sampled / c);
    m.put("sequence_tokens", tokens / c);
    m.put("trajectories", (double) count);
    return m;
  }
}
