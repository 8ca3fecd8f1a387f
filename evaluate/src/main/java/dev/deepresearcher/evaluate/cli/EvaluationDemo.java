package dev.deepresearcher.evaluate.cli;

import dev.deepresearcher.core.cli.Cli;
import dev.deepresearcher.core.cli.ConfigOptions;
import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.core.data.Datasets;
import dev.deepresearcher.core.data.QaExample;
import dev.deepresearcher.core.io.AtomicFiles;
import dev.deepresearcher.evaluate.EvalItem;
import dev.deepresearcher.evaluate.Metrics;
import dev.deepresearcher.evaluate.MetricsReport;
import dev.deepresearcher.evaluate.RolloutFiles;
import dev.deepresearcher.evaluate.internal.DemoRollouts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The offline evaluation demo: makes synthetic rollouts for the DeepResearcher dev set (answers
 * that copy, perturb or miss the ground truths, and some broken formats), writes them in
 * DeepResearcher's format and ours, scores them as {@code calculate-metrics} does and prints the
 * table. No model, no network.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Evaluation demo: synthetic rollouts for the dev set, scored per data source by"
            + " DeepResearcher's evaluation rules. Offline; takes seconds.")
public final class EvaluationDemo implements Callable<Integer> {
  @Option(
      names = "--data",
      paramLabel = "FILE",
      description = "Questions (default: data/deepresearcher/dev.parquet in this repository).")
  Path data;

  @Mixin ConfigOptions config;

  public static void main(String[] args) {
    System.exit(Cli.run(new EvaluationDemo(), args));
  }

  @Override
  public Integer call() throws IOException {
    DeepResearcherConfig cfg = ConfigLoader.load(config.configFile(), config.overrides());
    Path questionsFile = data != null ? data : defaultData();
    List<QaExample> questions = Datasets.readAll(questionsFile);
    long seed = cfg.run().seed();
    List<DemoRollouts.Rollout> rollouts = DemoRollouts.generate(questions, seed);

    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path runDir = cfg.run().outputDir().resolve("eval-demo-" + stamp);
    Path drFile = runDir.resolve("rollouts.json");
    Path ourFile = runDir.resolve("rollouts.jsonl");
    DemoRollouts.writeDeepResearcher(drFile, questions, rollouts);
    DemoRollouts.writeJsonl(ourFile, questions, rollouts);

    List<EvalItem> items =
        RolloutFiles.pair(RolloutFiles.read(drFile), questions, questionsFile.toString());
    MetricsReport report = Metrics.compute(items, null, 1, false);
    MetricsReport ours =
        Metrics.compute(
            RolloutFiles.pair(RolloutFiles.read(ourFile), questions, questionsFile.toString()),
            null,
            1,
            false);
    if (!ours.equals(report)) {
      throw new IllegalStateException("the two rollout formats scored differently");
    }
    Path scoreFile = runDir.resolve("score.json");
    AtomicFiles.writeString(scoreFile, report.toJson());

    System.out.println(
        "Evaluation demo: "
            + questions.size()
            + " questions from "
            + questionsFile
            + ", seed "
            + seed);
    System.out.println(
        "Synthetic rollouts (no model): "
            + DemoRollouts.kinds(rollouts)
            + ", scored by DeepResearcher's evaluation rules.");
    System.out.println();
    System.out.print(report.toTable());
    System.out.println();
    System.out.println("Rollouts (DeepResearcher's format): " + drFile);
    System.out.println("Rollouts (JSON lines):              " + ourFile);
    System.out.println("Scores:                             " + scoreFile);
    System.out.println(
        "Score them again with: scripts/calculate-metrics --data "
            + questionsFile
            + " --rollouts "
            + drFile);
    return 0;
  }

  private static Path defaultData() {
    String root = System.getProperty("dr.root");
    Path base = root == null ? Path.of("") : Path.of(root);
    return base.resolve("data/deepresearcher/dev.parquet");
  }
}
