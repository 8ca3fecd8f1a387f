package dev.deepresearcher.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepresearcher.core.actor.ActorOptions;
import dev.deepresearcher.core.actor.ActorRef;
import dev.deepresearcher.core.actor.ActorRuntime;
import dev.deepresearcher.core.actor.ActorRuntimes;
import dev.deepresearcher.core.actor.ActorSpec;
import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.core.config.TrainerConfig;
import dev.deepresearcher.core.data.Datasets;
import dev.deepresearcher.core.data.QaExample;
import dev.deepresearcher.core.io.AtomicFiles;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.policy.PolicyTrainer;
import dev.deepresearcher.rollout.Prompt;
import dev.deepresearcher.rollout.RewardActor;
import dev.deepresearcher.rollout.RolloutPool;
import dev.deepresearcher.rollout.RolloutWorker;
import dev.deepresearcher.search.SearchHandlers;
import dev.deepresearcher.trainer.internal.DataCursor;
import dev.deepresearcher.trainer.internal.RunFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A whole GRPO run ({@code scripts/train_grpo.sh}): connects to the search handlers (or starts one
 * in-process), creates the rollout actors and the reward actor on the configured actor runtime,
 * then runs {@code trainer.total_steps} steps, logging each to the console and {@code
 * metrics.jsonl}, validating every {@code trainer.val_every} steps, checkpointing every {@code
 * trainer.save_every} steps, plotting reward and F1, and finally exporting the model.
 *
 * <p>The run folder {@code run.output_dir/trainer.run_name} holds {@code metrics.jsonl}, {@code
 * checkpoint-N/} (the policy, the optimizer, the step, the data cursor and the configuration),
 * {@code validation/step-N.jsonl} (rollouts), {@code reward.png}, {@code f1.png} and {@code
 * final/model} (a Hugging Face folder). With {@code trainer.resume=true} the run continues from its
 * newest checkpoint exactly as it would have gone on.
 *
 * <pre>{@code
 * TrainRun.Summary s = TrainRun.run(ConfigLoader.load(yaml, overrides), System.getenv(), System.err);
 * }</pre>
 */
public final class TrainRun {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What a run did.
   *
   * @param runDir the run's folder
   * @param steps GRPO steps done (resumed ones included)
   * @param last the last step's figures, or {@code null} when none ran
   * @param validation the last validation, or {@code null}
   * @param model the exported model folder
   */
  public record Summary(
      Path runDir, long steps, StepMetrics last, Validation.Result validation, Path model) {}

  private TrainRun() {}

  /** Runs GRPO as {@code config} says. */
  public static Summary run(DeepResearcherConfig config, Map<String, String> env, PrintStream log)
      throws IOException {
    TrainerConfig tc = config.trainer();
    if (config.policy().model() == null) {
      throw new TrainerException(
          "policy.model is not set; give the policy's Hugging Face folder, e.g."
              + " policy.model=models/Qwen2.5-7B-Instruct");
    }
    if (config.data().trainFiles().isEmpty()) {
      throw new TrainerException(
          "data.train_files is empty; give the training questions (parquet or JSON lines), e.g."
              + " data.train_files=[data/train.parquet]");
    }
    if (config.rollout().temperature() != 1.0) {
      throw new TrainerException(
          "rollout.temperature is "
              + config.rollout().temperature()
              + "; GRPO compares the policy's probabilities with the sampling ones, which are"
              + " those at temperature 1, so train with rollout.temperature=1.0 (validation may"
              + " use any: trainer.val_temperature)");
    }
    String name =
        tc.runName() != null
            ? tc.runName()
            : "grpo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path runDir = config.run().outputDir().resolve(name);
    Path checkpoint = RunFiles.newestCheckpoint(runDir);
    if (checkpoint != null && !tc.resume()) {
      throw new TrainerException(
          runDir
              + " already holds "
              + checkpoint.getFileName()
              + "; continue it with trainer.resume=true, or start another with a new"
              + " trainer.run_name");
    }
    if (checkpoint == null && tc.resume() && Files.exists(runDir.resolve("metrics.jsonl"))) {
      log.println("no checkpoint in " + runDir + " yet: starting the run from step 0");
    }
    Files.createDirectories(runDir);
    AtomicFiles.writeString(runDir.resolve("config.yaml"), ConfigLoader.toYaml(config));
    List<Prompt> train = prompts(config.data().trainFiles());
    List<Prompt> val = prompts(config.data().valFiles());
    if (tc.valSize() > 0 && val.size() > tc.valSize()) {
      val = val.subList(0, tc.valSize());
    }
    long seed = config.run().seed();
    long step = 0;
    DataCursor cursor;
    PolicyTrainer trainer;
    Policy policy = null;
    if (checkpoint != null) {
      JsonNode state = JSON.readTree(checkpoint.resolve(RunFiles.STATE).toFile());
      step = state.path("step").asLong();
      cursor =
          new DataCursor(
              train.size(), seed, state.path("epoch").asInt(), state.path("offset").asInt());
      trainer =
          PolicyTrainer.resume(
              checkpoint.resolve("trainer"),
              config.policy().training(),
              config.policy().device(),
              config.policy().threads());
      RunFiles.truncateMetrics(runDir, step);
      log.printf(Locale.ROOT, "resuming %s from %s%n", runDir, checkpoint.getFileName());
    } else {
      cursor = new DataCursor(train.size(), seed, 0, 0);
      policy = Policy.load(config.policy());
      trainer = PolicyTrainer.create(policy, config.policy().training(), seed);
      Files.deleteIfExists(runDir.resolve("metrics.jsonl"));
    }
    try (SearchHandlers.Connection handlers = SearchHandlers.connect(config, env);
        ActorRuntime runtime = ActorRuntimes.create(config.cluster())) {
      RolloutWorker.Init init =
          new RolloutWorker.Init(
              config.policy().model().toAbsolutePath().toString(),
              config.policy().device(),
              config.policy().threads(),
              handlers.client().replicas().stream().map(Object::toString).toList(),
              config.handler().authTokenEnv() == null
                  ? null
                  : config.handler().authTokenEnv().variable(),
              config.handler().clientTimeout(),
              config.rollout());
      RolloutPool pool = RolloutPool.start(runtime, init);
      ActorRef<RewardActor> reward =
          runtime.create(
              new ActorSpec<>(
                  RewardActor.class,
                  new RewardActor.Init(config.reward().name()),
                  ActorOptions.named("reward")));
      if (trainer.steps() > 0) {
        pool.pushWeights(trainer.exportWeights());
      }
      log.printf(
          Locale.ROOT,
          "GRPO: %s (%s) on %d questions, %d per step x %d rollouts, %d steps; %d rollout"
              + " worker(s) on %s; handler %s; run folder %s%n",
          config.policy().model(),
          config.policy().training().mode().configName(),
          train.size(),
          tc.trainBatchSize(),
          config.rollout().n(),
          tc.totalSteps(),
          pool.workers().size(),
          runtime.backend(),
          handlers.client().replicas(),
          runDir);
      GrpoTrainer grpo = new GrpoTrainer(tc, config.rollout().n(), trainer, pool, reward);
      Validation validation = new Validation(pool, reward, val, tc.valTemperature(), seed, runDir);
      Validation.Result lastVal = null;
      if (tc.valEvery() > 0 && !val.isEmpty() && step == 0) {
        lastVal = validation.run(0, log);
      }
      StepMetrics last = null;
      while (step < tc.totalSteps()) {
        step++;
        List<Prompt> batch = new ArrayList<>();
        for (int i : cursor.next(tc.trainBatchSize())) {
          batch.add(train.get(i));
        }
        GrpoTrainer.Step s = grpo.step(batch, mix(seed, step));
        last = new StepMetrics(step, s.metrics().values());
        ObjectNode line = JSON.createObjectNode();
        line.put("kind", "train");
        line.put("step", step);
        line.put("epoch", cursor.epoch());
        last.values().forEach(line::put);
        RunFiles.appendMetrics(runDir, line);
        log.println(StepLog.line(step, tc.totalSteps(), last));
        boolean end = step == tc.totalSteps();
        if ((tc.saveEvery() > 0 && step % tc.saveEvery() == 0) || end) {
          save(runDir, step, cursor, trainer, config);
        }
        if (tc.valEvery() > 0 && !val.isEmpty() && (step % tc.valEvery() == 0 || end)) {
          lastVal = validation.run(step, log);
        }
        if (tc.plots()) {
          StepLog.plots(runDir);
        }
      }
      Path model = runDir.resolve("final").resolve("model");
      trainer.exportModel(model);
      log.println("done: " + step + " steps; the trained model is in " + model);
      return new Summary(runDir, step, last, lastVal, model);
    } finally {
      trainer.close();
      if (policy != null) {
        policy.close();
      }
    }
  }

  /** Writes {@code checkpoint-<step>/} whole or not at all. */
  static void save(
      Path runDir, long step, DataCursor cursor, PolicyTrainer trainer, DeepResearcherConfig config)
      throws IOException {
    AtomicFiles.writeFolder(
        runDir.resolve("checkpoint-" + step),
        tmp -> {
          trainer.save(tmp.resolve("trainer"));
          ObjectNode state = JSON.createObjectNode();
          state.put("format", 1);
          state.put("step", step);
          state.put("epoch", cursor.epoch());
          state.put("offset", cursor.offset());
          state.put("seed", config.run().seed());
          state.put("optimizer_steps", trainer.steps());
          Files.writeString(tmp.resolve("config.yaml"), ConfigLoader.toYaml(config));
          Files.writeString(
              tmp.resolve(RunFiles.STATE),
              JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state));
        });
  }

  /** The questions of {@code files} as prompts. */
  static List<Prompt> prompts(List<Path> files) throws IOException {
    List<Prompt> out = new ArrayList<>();
    for (QaExample e : Datasets.readAll(files)) {
      out.add(Prompt.of(e));
    }
    return out;
  }

  /** The sampling seed of a step. */
  static long mix(long seed, long step) {
    long z = seed + 0x9E3779B97F4A7C15L * (step + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
