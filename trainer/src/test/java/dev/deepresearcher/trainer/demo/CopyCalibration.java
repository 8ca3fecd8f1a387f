package dev.deepresearcher.trainer.demo;

import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.policy.PolicyTrainer;
import dev.deepresearcher.rollout.ChatFormat;
import dev.deepresearcher.rollout.RolloutEngine;
import dev.deepresearcher.rollout.RolloutRequest;
import dev.deepresearcher.rollout.Tools;
import dev.deepresearcher.rollout.Trajectory;
import dev.deepresearcher.search.SearchHandlers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** args: demo-run-dir seed: the copying probe of the run's SFT model on its dev questions. */
public final class CopyCalibration {
  private static String d0(List<Trajectory> some) {
    return some.get(0).prompt().dataSource();
  }

  public static void main(String[] args) throws Exception {
    Path run = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    SyntheticWorld world = SyntheticWorld.generate(seed, 400);
    List<SyntheticWorld.Person> people = new ArrayList<>(world.people());
    Collections.shuffle(people, new Random(seed));
    List<SyntheticWorld.Question> dev = OfflineDemo.questions(world, people.subList(60, 70));
    Path model = run.resolve(args.length > 2 ? args[2] : "sft/model");
    DeepResearcherConfig config =
        ConfigLoader.load(
            Path.of("configs/tiny-offline.yaml"),
            List.of(
                "search.backend=local",
                "search.local.index=" + run.resolve("index"),
                "search.local.corpus=" + run.resolve("corpus.jsonl"),
                "cache.path=/tmp/calib/cache-" + seed + ".db",
                "policy.model=" + model));
    try (SearchHandlers.Connection h = SearchHandlers.connect(config, Map.of());
        Policy policy = Policy.load(config.policy())) {
      Teacher careful =
          new Teacher(policy.tokenizer(), policy.config().eosTokenIds().get(0), 1024, 1.0, world);
      List<Trajectory> demos =
          new RolloutEngine(
                  careful,
                  ChatFormat.of(policy, config.rollout().systemPrompt()),
                  Tools.of(h.client()),
                  config.rollout(),
                  () -> 0L)
              .run(new RolloutRequest(OfflineDemo.prompts(dev), 1, 3, 0))
              .trajectories();
      CopyingProbe probe = new CopyingProbe(demos, policy.tokenizer());
      try (PolicyTrainer trainer = PolicyTrainer.create(policy, config.policy().training(), seed)) {
        long t = System.nanoTime();
        var p = probe.answerProbability(trainer);
        for (String kind : List.of("birthplace", "country", "instrument")) {
          List<Trajectory> some = new ArrayList<>();
          for (Trajectory d : demos) {
            if (d.prompt().dataSource().contains(kind)) {
              some.add(d);
            }
          }
          double[] q = CopyProbe.probe(trainer, policy, some);
          System.out.printf(
              "  %s: p(name in query) %.3f, p(answer) %.3f, copying probe %.3f%n",
              kind,
              q[0],
              q[1],
              new CopyingProbe(some, policy.tokenizer()).answerProbability(trainer).get(d0(some)));
        }
        System.out.printf(
            "%s: probe over %d/%d demos: p(answer) %s (%.1f s)%n",
            model, probe.size(), demos.size(), p, (System.nanoTime() - t) / 1e9);
      }
    }
  }
}
