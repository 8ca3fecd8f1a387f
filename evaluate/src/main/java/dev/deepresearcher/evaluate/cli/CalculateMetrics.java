package dev.deepresearcher.evaluate.cli;

import dev.deepresearcher.core.cache.DiskCache;
import dev.deepresearcher.core.cli.Cli;
import dev.deepresearcher.core.cli.ConfigOptions;
import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.core.config.JudgeConfig;
import dev.deepresearcher.core.data.Datasets;
import dev.deepresearcher.core.data.QaExample;
import dev.deepresearcher.core.http.RetryPolicy;
import dev.deepresearcher.core.io.AtomicFiles;
import dev.deepresearcher.core.llm.ChatClient;
import dev.deepresearcher.core.llm.ChatEndpoint;
import dev.deepresearcher.evaluate.EvalItem;
import dev.deepresearcher.evaluate.Metrics;
import dev.deepresearcher.evaluate.MetricsReport;
import dev.deepresearcher.evaluate.RolloutFiles;
import dev.deepresearcher.evaluate.internal.LlmJudge;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code scripts/calculate-metrics}: F1, EM and optionally LLM-judged accuracy (MBE) per data
 * source, by DeepResearcher's evaluation rules.
 */
@Command(
    name = "calculate-metrics",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Scores rollouts per data source: F1, EM and, with a judge, MBE (LLM-judged accuracy), by"
          + " DeepResearcher's evaluation rules (only the text after the last"
          + " <|im_start|>assistant counts; a broken format scores 0).",
      "Rollouts: DeepResearcher's JSON list of {idx, question, message_str} (paired with --data by"
          + " position), or our JSON lines with 'response'.",
      "Example: scripts/calculate-metrics --data data/deepresearcher/dev.parquet --rollouts"
          + " rollouts.json --out score.json"
    })
public final class CalculateMetrics implements Callable<Integer> {
  @Option(
      names = "--rollouts",
      required = true,
      paramLabel = "FILE",
      description = "Rollouts to score.")
  Path rollouts;

  @Option(
      names = "--data",
      paramLabel = "FILE",
      description =
          "The questions (parquet or jsonl). Needed for DeepResearcher's format and for rollouts"
              + " without ground truths.")
  Path data;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write {data_source: {f1, em, mbe, n}} here.")
  Path out;

  @Option(
      names = "--judge-url",
      paramLabel = "URL",
      description =
          "OpenAI-compatible base URL for MBE, e.g. https://api.openai.com/v1"
              + " (evaluate.judge.url).")
  String judgeUrl;

  @Option(
      names = "--judge-model",
      paramLabel = "NAME",
      description = "Judge model (evaluate.judge.model).")
  String judgeModel;

  @Option(
      names = "--judge-key-env",
      paramLabel = "VAR",
      description = "Environment variable holding the judge's key (evaluate.judge.api_key_env).")
  String judgeKeyEnv;

  @Option(
      names = "--judge-concurrency",
      paramLabel = "N",
      description = "Judge requests in flight (evaluate.judge.concurrency).")
  Integer judgeConcurrency;

  @Mixin ConfigOptions config;

  private final Map<String, String> env;

  public CalculateMetrics() {
    this(System.getenv());
  }

  /** With a given environment, for tests. */
  public CalculateMetrics(Map<String, String> env) {
    this.env = env;
  }

  public static void main(String[] args) {
    System.exit(Cli.run(new CalculateMetrics(), args));
  }

  @Override
  public Integer call() throws IOException {
    DeepResearcherConfig cfg = ConfigLoader.load(config.configFile(), overrides());
    List<QaExample> questions = data == null ? null : Datasets.readAll(data);
    RolloutFiles.Loaded loaded = RolloutFiles.read(rollouts);
    List<EvalItem> items =
        RolloutFiles.pair(loaded, questions, data == null ? "the data" : data.toString());
    MetricsReport report;
    JudgeConfig judgeConfig = cfg.evaluate().judge();
    PrintStream err = System.err;
    if (judgeConfig.enabled()) {
      String key = judgeConfig.apiKeyEnv().isSet(env) ? judgeConfig.apiKeyEnv().resolve(env) : null;
      if (key == null) {
        err.println(
            "warning: $"
                + judgeConfig.apiKeyEnv().variable()
                + " is not set; asking the judge without an API key");
      }
      ChatEndpoint endpoint =
          new ChatEndpoint(
              judgeConfig.url(),
              judgeConfig.model(),
              key,
              judgeConfig.temperature(),
              judgeConfig.timeout(),
              new RetryPolicy(
                  judgeConfig.maxAttempts(),
                  judgeConfig.initialBackoff(),
                  judgeConfig.maxBackoff()));
      try (ChatClient client = new ChatClient(endpoint);
          DiskCache cache = DiskCache.open(cfg.cache().path(), cfg.cache().maxBytes())) {
        LlmJudge judge = new LlmJudge(client, cache, judgeConfig.unparseableRetries());
        err.println(
            "MBE judge: " + judge.describe() + " (verdicts cached in " + cache.file() + ")");
        report = Metrics.compute(items, judge, judgeConfig.concurrency(), true);
      }
      err.println(report.judge().summary());
    } else {
      report = Metrics.compute(items, null, 1, false);
    }
    System.out.print(report.toTable());
    System.out.flush();
    if (out != null) {
      AtomicFiles.writeString(out, report.toJson());
      err.println("wrote " + out);
    }
    return 0;
  }

  private List<String> overrides() {
    List<String> all = new ArrayList<>(config.overrides());
    if (judgeUrl != null) {
      all.add("evaluate.judge.url=" + quoted(judgeUrl));
    }
    if (judgeModel != null) {
      all.add("evaluate.judge.model=" + quoted(judgeModel));
    }
    if (judgeKeyEnv != null) {
      all.add("evaluate.judge.api_key_env=" + quoted(judgeKeyEnv));
    }
    if (judgeConcurrency != null) {
      all.add("evaluate.judge.concurrency=" + judgeConcurrency);
    }
    return all;
  }

  /** A YAML single-quoted scalar: flags are plain text, never YAML structure. */
  private static String quoted(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
