package dev.deepresearcher.rollout.bench;

import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.core.data.Datasets;
import dev.deepresearcher.core.data.QaExample;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.rollout.ChatFormat;
import dev.deepresearcher.rollout.Prompt;
import dev.deepresearcher.rollout.RolloutEngine;
import dev.deepresearcher.rollout.RolloutRequest;
import dev.deepresearcher.rollout.RolloutResult;
import dev.deepresearcher.rollout.Tools;
import dev.deepresearcher.rollout.Trajectory;
import dev.deepresearcher.rollout.TurnGenerator;
import dev.deepresearcher.search.SearchHandlers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rollout speed: the agent loop with a policy folder against an in-process handler on a local
 * corpus, {@code n} trajectories for each of the first {@code q} questions, several rounds after a
 * warm-up; medians of trajectories/s, sampled tokens/s, all tokens/s and the share of the wall time
 * spent waiting on tools with nothing to generate. Extra arguments are configuration overrides.
 *
 * <pre>
 * scripts/bench rollout --main dev.deepresearcher.rollout.bench.RolloutBench \
 *     runs/tiny-offline/grpo/final/model runs/tiny-offline/corpus.jsonl runs/tiny-offline/heldout.jsonl 16 8 5
 * </pre>
 */
public final class RolloutBench {
  private RolloutBench() {}

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args[0]);
    Path corpus = Path.of(args[1]);
    Path questions = Path.of(args[2]);
    int q = Integer.parseInt(args[3]);
    int n = Integer.parseInt(args[4]);
    int rounds = Integer.parseInt(args[5]);
    List<String> overrides = new ArrayList<>();
    Path work = java.nio.file.Files.createTempDirectory("rollout-bench");
    overrides.add("search.local.corpus=" + corpus);
    overrides.add("search.local.index=" + work.resolve("index"));
    overrides.add("cache.path=" + work.resolve("cache.db"));
    overrides.addAll(Arrays.asList(args).subList(6, args.length));
    DeepResearcherConfig config = ConfigLoader.load(null, overrides);
    List<Prompt> prompts = new ArrayList<>();
    for (QaExample e : Datasets.readAll(questions)) {
      if (prompts.size() < q) {
        prompts.add(Prompt.of(e));
      }
    }
    try (SearchHandlers.Connection handlers = SearchHandlers.connect(config, Map.of());
        Policy policy = Policy.load(model, config.policy().device(), config.policy().threads())) {
      RolloutEngine engine =
          new RolloutEngine(
              TurnGenerator.of(policy),
              ChatFormat.of(policy, config.rollout().systemPrompt()),
              Tools.of(handlers.client()),
              config.rollout(),
              policy::weightsVersion);
      engine.run(new RolloutRequest(prompts, n, 999, 0)); // warm-up
      double[] trajPerS = new double[rounds];
      double[] sampledPerS = new double[rounds];
      double[] tokensPerS = new double[rounds];
      double[] waitShare = new double[rounds];
      double[] turns = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        RolloutResult result = engine.run(new RolloutRequest(prompts, n, r, 0));
        double s = result.stats().wallMillis() / 1e3;
        long all = 0;
        long t = 0;
        for (Trajectory tr : result.trajectories()) {
          all += tr.ids().length;
          t += tr.turns().size();
        }
        trajPerS[r] = result.trajectories().size() / s;
        sampledPerS[r] = result.stats().sampledTokens() / s;
        tokensPerS[r] = all / s;
        waitShare[r] = result.stats().toolWaitMillis() / 1e3 / s;
        turns[r] = (double) t / result.trajectories().size();
        System.err.printf(
            Locale.ROOT,
            "round %d: %.1f s, %.2f trajectories/s, %.0f sampled tok/s, %.0f tok/s, tool wait %.1f%%,"
                + " %.2f turns, %d tool calls%n",
            r + 1,
            s,
            trajPerS[r],
            sampledPerS[r],
            tokensPerS[r],
            100 * waitShare[r],
            turns[r],
            result.stats().toolCalls());
      }
      System.out.printf(
          Locale.ROOT,
          "{\"trajectories\": %d, \"traj_per_s\": %.3f, \"sampled_tok_per_s\": %.1f,"
              + " \"tok_per_s\": %.1f, \"tool_wait_share\": %.4f, \"turns\": %.2f}%n",
          prompts.size() * n,
          median(trajPerS),
          median(sampledPerS),
          median(tokensPerS),
          median(waitShare),
          median(turns));
    }
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}
