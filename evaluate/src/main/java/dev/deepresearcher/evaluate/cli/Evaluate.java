package dev.deepresearcher.evaluate.cli;

import dev.deepresearcher.core.actor.ActorOptions;
import dev.deepresearcher.core.actor.ActorRef;
import dev.deepresearcher.core.actor.ActorRuntime;
import dev.deepresearcher.core.actor.ActorRuntimes;
import dev.deepresearcher.core.actor.ActorSpec;
import dev.deepresearcher.core.cli.Cli;
import dev.deepresearcher.core.cli.ConfigOptions;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.core.data.Datasets;
import dev.deepresearcher.core.data.QaExample;
import dev.deepresearcher.evaluate.EvaluateException;
import dev.deepresearcher.rollout.ModelFolders;
import dev.deepresearcher.rollout.Prompt;
import dev.deepresearcher.rollout.RewardActor;
import dev.deepresearcher.rollout.RolloutPool;
import dev.deepresearcher.rollout.RolloutResult;
import dev.deepresearcher.rollout.RolloutWorker;
import dev.deepresearcher.rollout.RolloutWriter;
import dev.deepresearcher.search.SearchHandlers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code scripts/evaluate.sh}: rollouts of a trained policy on a question set, written as a rollout
 * file for {@code scripts/calculate-metrics}. Runs rollouts only; nothing is trained.
 */
@Command(
    name = "evaluate.sh",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the agent (web_search and browse_webpage through the search handler) on every question"
          + " of a dataset and writes the rollouts as JSON lines (and, with"
          + " --deepresearcher-format, DeepResearcher's *_result.json). Score them with"
          + " scripts/calculate-metrics. Nothing is trained.",
      "Example: scripts/evaluate.sh --model runs/run1/final/model --data test.parquet --greedy",
    })
public final class Evaluate implements Callable<Integer> {
  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "A Hugging Face model folder, a run's final/model, or a checkpoint-N folder.")
  Path model;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "FILE",
      description = "The questions: parquet in DeepResearcher's layout, or the same as JSON lines.")
  Path data;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "The rollout file (default: run.output_dir/eval-<time>/rollouts.jsonl).")
  Path out;

  @Option(names = "--greedy", description = "Greedy decoding (temperature 0).")
  boolean greedy;

  @Option(
      names = "--temperature",
      paramLabel = "T",
      description = "Sampling temperature (default: rollout.temperature).")
  Double temperature;

  @Option(
      names = "--n",
      paramLabel = "N",
      defaultValue = "1",
      description = "Rollouts per question (default ${DEFAULT-VALUE}).")
  int n;

  @Option(names = "--limit", paramLabel = "K", description = "Only the first K questions.")
  Integer limit;

  @Option(
      names = "--deepresearcher-format",
      description = "Also write DeepResearcher's format (one rollout per question, n = 1).")
  boolean deepResearcherFormat;

  @Mixin ConfigOptions options;

  public static void main(String[] args) {
    System.exit(Cli.run(new Evaluate(), args));
  }

  @Override
  public Integer call() throws IOException {
    if (greedy && temperature != null) {
      throw new EvaluateException("give --greedy or --temperature, not both");
    }
    if (n < 1) {
      throw new EvaluateException("--n is " + n + "; ask for at least one rollout per question");
    }
    if (deepResearcherFormat && n != 1) {
      throw new EvaluateException(
          "DeepResearcher's format holds one rollout per question; use --n 1 with"
              + " --deepresearcher-format");
    }
    DeepResearcherConfig c = options.load();
    Path folder =
        ModelFolders.resolve(
            model, c.policy().training(), c.policy().device(), c.policy().threads());
    List<Prompt> prompts = new ArrayList<>();
    for (QaExample e : Datasets.readAll(data)) {
      prompts.add(Prompt.of(e));
    }
    if (limit != null && limit < prompts.size()) {
      prompts = prompts.subList(0, Math.max(0, limit));
    }
    Path file =
        out != null
            ? out
            : c.run()
                .outputDir()
                .resolve(
                    "eval-"
                        + LocalDateTime.now()
                            .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
                .resolve("rollouts.jsonl");
    Double t = greedy ? Double.valueOf(0) : temperature;
    try (SearchHandlers.Connection handlers = SearchHandlers.connect(c, System.getenv());
        ActorRuntime runtime = ActorRuntimes.create(c.cluster())) {
      RolloutPool pool =
          RolloutPool.start(
              runtime,
              new RolloutWorker.Init(
                  folder.toAbsolutePath().toString(),
                  c.policy().device(),
                  c.policy().threads(),
                  handlers.client().replicas().stream().map(Object::toString).toList(),
                  c.handler().authTokenEnv() == null ? null : c.handler().authTokenEnv().variable(),
                  c.handler().clientTimeout(),
                  c.rollout()));
      ActorRef<RewardActor> reward =
          runtime.create(
              new ActorSpec<>(
                  RewardActor.class,
                  new RewardActor.Init(c.reward().name()),
                  ActorOptions.named("reward")));
      System.err.printf(
          Locale.ROOT,
          "evaluating %s on %d questions of %s, %d rollout(s) each, %s%n",
          folder,
          prompts.size(),
          data,
          n,
          t == null
              ? "temperature " + c.rollout().temperature()
              : t == 0 ? "greedy" : "temperature " + t);
      RolloutResult r = pool.run(prompts, n, c.run().seed(), t);
      List<RewardActor.Score> scores =
          reward.call(RewardActor::score, RewardActor.items(r.trajectories())).join();
      RolloutWriter.jsonl(file, r.trajectories(), scores);
      double f1 = scores.stream().mapToDouble(RewardActor.Score::f1).average().orElse(0);
      System.err.printf(
          Locale.ROOT,
          "%d rollouts in %.1f s (generation %.1f s, waiting on tools %.1f s); F1 %.4f by"
              + " DeepResearcher's evaluation rules%n",
          r.trajectories().size(),
          r.stats().wallMillis() / 1e3,
          r.stats().generateMillis() / 1e3,
          r.stats().toolWaitMillis() / 1e3,
          f1);
      System.out.println(file);
      if (deepResearcherFormat) {
        Path dr = file.resolveSibling("deepresearcher_result.json");
        RolloutWriter.deepResearcher(dr, r.trajectories());
        System.out.println(dr);
      }
      System.err.println(
          "score it per data source: scripts/calculate-metrics --data "
              + data
              + " --rollouts "
              + file);
    }
    return 0;
  }
}
