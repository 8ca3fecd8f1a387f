package dev.deepresearcher.trainer.demo;

import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.core.config.DemoConfig;
import dev.deepresearcher.core.config.PolicyConfig;
import dev.deepresearcher.core.io.AtomicFiles;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.policy.PolicyTrainer;
import dev.deepresearcher.policy.SequenceLoss;
import dev.deepresearcher.policy.TrainingSequence;
import dev.deepresearcher.rollout.Trajectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The demo's supervised fine-tuning on the demonstrations' token-exact sequences, in two stages:
 *
 * <ol>
 *   <li>{@code demo.sft_first_turn_steps} steps on the demonstrations cut after their first turn
 *       (short sequences: the policy learns to copy the question's name into its query);
 *   <li>the whole demonstrations, until the {@link CopyingProbe} reaches {@code
 *       demo.sft_copy_target} on every kind of question, between {@code demo.sft_steps} and {@code
 *       demo.sft_max_steps} steps in all. Whole, not cut after each turn: every sequence then ends
 *       in the answer copied out of a tool response, where a cut one does so only when it is the
 *       last. In an SFT-only run of seed 2026 the copying phase changes came at steps 150 (search
 *       snippets) and 250 (a browsed page) instead of 350 and not within 1,000; six seeds reached
 *       the target in 400 to 650 steps.
 * </ol>
 *
 * <p>Copying a fact out of a tool response is a phase change that a model this small reaches at a
 * run-dependent step, and now and then not at all: the loss settles near 0.06 and the probe stays
 * near chance for hundreds of steps. So an attempt at the second stage whose probe has not reached
 * half the target on any kind at any check by step {@code demo.sft_restart_after} is abandoned, and
 * the stage starts again from the first stage's weights, with a fresh optimizer and new draws,
 * within the same step budget.
 *
 * <p>Each step draws its sequences at random (so no step sees one habit only) and puts similar
 * lengths in one micro-batch.
 */
final class DemoSft {
  /** Steps between the progress lines and the probe's checks. */
  private static final int CHECK_EVERY = 50;

  private DemoSft() {}

  /**
   * How the SFT went.
   *
   * @param steps steps of the second stage, over all its attempts
   * @param attempts attempts at the second stage
   * @param copying the copying probe at the end, its lowest kind (NaN without a probe)
   * @param reached whether it reached the target (true without a probe)
   */
  record End(int steps, int attempts, double copying, boolean reached) {}

  /** Why an attempt ended. */
  private enum Outcome {
    /** Its fixed steps are done (no probe). */
    DONE,
    /** The probe reached the target. */
    REACHED,
    /** The step budget ran out below the target. */
    BUDGET,
    /** The probe stayed near chance: start again. */
    STALLED
  }

  private record Attempt(int steps, double copying, Outcome outcome) {}

  /** Fine-tunes {@code config.policy().model()} and exports the result to {@code out}. */
  static End run(
      DeepResearcherConfig config,
      DemoConfig demo,
      List<Trajectory> demos,
      CopyingProbe probe,
      long seed,
      Path out,
      PrintStream log)
      throws IOException {
    PolicyConfig.Training training = training(config.policy().training(), demo.sftLr());
    List<TrainingSequence> firstTurns = new ArrayList<>();
    List<TrainingSequence> wholes = new ArrayList<>();
    for (Trajectory t : demos) {
      TrainingSequence first = Demonstrations.firstTurn(t);
      if (first != null) {
        firstTurns.add(first);
        wholes.add(Demonstrations.whole(t));
      }
    }
    Random random = new Random(seed);
    Path firstStage = out.resolveSibling("first-turns");
    int budget = probe == null ? demo.sftSteps() : demo.sftMaxSteps();
    int restartAfter = probe == null ? 0 : demo.sftRestartAfter();
    Attempt attempt = null;
    int steps = 0;
    int attempts = 0;
    do {
      attempts++;
      if (attempt != null) {
        log.printf(
            Locale.ROOT,
            "demo: SFT attempt %d stalled (copying probe %.3f at best in %d steps, below half the"
                + " target %.2f): attempt %d starts again from the first stage's weights with %d"
                + " steps left%n",
            attempts - 1,
            attempt.copying(),
            attempt.steps(),
            demo.sftCopyTarget(),
            attempts,
            budget - steps);
      }
      // The first attempt goes on from the first stage in memory; a later one reloads its weights
      // (a fresh optimizer, new draws).
      boolean first = attempts == 1;
      try (Policy policy =
              first
                  ? Policy.load(config.policy())
                  : Policy.load(firstStage, config.policy().device(), config.policy().threads());
          PolicyTrainer trainer =
              PolicyTrainer.create(policy, training, first ? seed : seed + attempts)) {
        if (first) {
          trainFirstTurns(trainer, firstTurns, demo, random, log);
          if (restartAfter > 0) {
            trainer.exportModel(firstStage);
          }
        }
        // A later attempt restarts only while a whole attempt still fits the budget.
        int left = budget - steps;
        attempt =
            secondStage(
                trainer,
                wholes,
                demo,
                probe,
                left,
                first || left >= 2 * restartAfter ? restartAfter : 0,
                random,
                log);
        steps += attempt.steps();
        if (attempt.outcome() != Outcome.STALLED) {
          trainer.exportModel(out);
        }
      }
    } while (attempt.outcome() == Outcome.STALLED);
    if (restartAfter > 0) {
      AtomicFiles.deleteTree(firstStage);
    }
    if (attempt.outcome() == Outcome.BUDGET) {
      log.printf(
          Locale.ROOT,
          "demo: warning: SFT used its %d steps (demo.sft_max_steps) with the copying probe at %.3f,"
              + " below its target %.2f; GRPO may find little to reinforce%n",
          budget,
          attempt.copying(),
          demo.sftCopyTarget());
    }
    return new End(steps, attempts, attempt.copying(), attempt.outcome() != Outcome.BUDGET);
  }

  /** The first stage: {@code demo.sft_first_turn_steps} steps on the first turns. */
  private static void trainFirstTurns(
      PolicyTrainer trainer,
      List<TrainingSequence> firstTurns,
      DemoConfig demo,
      Random random,
      PrintStream log) {
    // First turns are short: twice as many per step cost about as much.
    Progress progress = new Progress(log, "first turns", demo.sftFirstTurnSteps());
    for (int s = 1; s <= demo.sftFirstTurnSteps(); s++) {
      if (progress.step(s, step(trainer, firstTurns, 2 * demo.sftBatchSize(), random))) {
        progress.print(s, "");
      }
    }
  }

  /**
   * One attempt at the second stage: at most {@code budget} steps; with a probe, it ends at the
   * first check from {@code demo.sft_steps} on where every kind reaches the target, and stalls at
   * the first check from step {@code restartAfter} on (0: never) if no kind has reached half of it
   * at any check so far.
   */
  private static Attempt secondStage(
      PolicyTrainer trainer,
      List<TrainingSequence> data,
      DemoConfig demo,
      CopyingProbe probe,
      int budget,
      int restartAfter,
      Random random,
      PrintStream log) {
    double target = demo.sftCopyTarget();
    double lowest = Double.NaN;
    // The best any kind has done at any check of this attempt: the probe wobbles by ±0.2 near the
    // phase change, so one low check must not abandon an attempt that was on its way.
    double best = 0;
    boolean judged = false;
    Progress progress = new Progress(log, "whole demonstrations", budget);
    for (int s = 1; s <= budget; s++) {
      if (!progress.step(s, step(trainer, data, demo.sftBatchSize(), random))) {
        continue;
      }
      if (probe == null) {
        progress.print(s, "");
        continue;
      }
      Map<String, Double> byKind = probe.answerProbability(trainer);
      lowest = Collections.min(byKind.values());
      best = Math.max(best, Collections.max(byKind.values()));
      StringBuilder b = new StringBuilder(", copying probe");
      byKind.forEach((kind, p) -> b.append(String.format(Locale.ROOT, " %s %.3f", kind, p)));
      progress.print(s, b.append(String.format(Locale.ROOT, " (target %.2f)", target)).toString());
      if (lowest >= target && s >= demo.sftSteps()) {
        log.printf(Locale.ROOT, "demo: SFT reached the copying target at step %d%n", s);
        return new Attempt(s, lowest, Outcome.REACHED);
      }
      if (restartAfter > 0 && s >= restartAfter && !judged) {
        judged = true;
        if (best < target / 2) {
          return new Attempt(s, best, Outcome.STALLED);
        }
      }
    }
    return new Attempt(budget, lowest, probe == null ? Outcome.DONE : Outcome.BUDGET);
  }

  /** Progress lines every {@link #CHECK_EVERY} steps: the mean loss since the last one. */
  private static final class Progress {
    private final PrintStream log;
    private final String stage;
    private final int of;
    private final long start = System.nanoTime();
    private double sum;
    private int count;

    Progress(PrintStream log, String stage, int of) {
      this.log = log;
      this.stage = stage;
      this.of = of;
    }

    /** Counts a step's loss; prints a line (with {@code extra}) every so often. */
    boolean step(int step, double loss) {
      sum += loss;
      count++;
      return step % CHECK_EVERY == 0 || step == of;
    }

    void print(int step, String extra) {
      log.printf(
          Locale.ROOT,
          "demo: SFT on %s, step %d/%d, mean loss %.4f%s, %.0f s%n",
          stage,
          step,
          of,
          sum / count,
          extra,
          (System.nanoTime() - start) / 1e9);
      sum = 0;
      count = 0;
    }
  }

  private static double step(
      PolicyTrainer trainer, List<TrainingSequence> data, int batchSize, Random random) {
    List<TrainingSequence> batch = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      batch.add(data.get(random.nextInt(data.size())));
    }
    batch.sort(Comparator.comparingInt(TrainingSequence::length));
    return trainer.step(batch, SequenceLoss.meanNll()).loss();
  }

  /** The policy's training settings with the SFT learning rate {@code lr} (GRPO's stay as set). */
  static PolicyConfig.Training training(PolicyConfig.Training base, double lr) {
    PolicyConfig.Optimizer o = base.optimizer();
    return new PolicyConfig.Training(
        base.mode(),
        base.microBatchSize(),
        base.lora(),
        new PolicyConfig.Optimizer(
            lr, o.beta1(), o.beta2(), o.eps(), o.weightDecay(), o.maxGradNorm()),
        base.schedule());
  }
}
