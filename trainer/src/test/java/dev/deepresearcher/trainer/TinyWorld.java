package dev.deepresearcher.trainer;

import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.policy.factory.BpeSpec;
import dev.deepresearcher.policy.factory.TinyModelSpec;
import dev.deepresearcher.policy.factory.TinyModels;
import dev.deepresearcher.trainer.demo.SyntheticWorld;
import dev.deepresearcher.trainer.demo.TestWorldFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small synthetic world, its files and a very small random policy made from scratch, for trainer
 * tests that run real rollouts, rewards and updates in seconds.
 */
final class TinyWorld {
  final Path dir;
  final Path model;

  private TinyWorld(Path dir, Path model) {
    this.dir = dir;
    this.model = model;
  }

  static TinyWorld create(Path dir) throws IOException {
    SyntheticWorld world = SyntheticWorld.generate(3, 20);
    TestWorldFiles.write(dir, world);
    List<String> texts = new ArrayList<>();
    for (SyntheticWorld.Document d : world.corpus()) {
      texts.add(d.title() + "\n" + d.text());
    }
    Path model = dir.resolve("model");
    TinyModels.create(
        texts,
        new BpeSpec(800, 2),
        new TinyModelSpec(32, 2, 2, 1, 64, 2048, 10000.0, 0.02, 7),
        model);
    return new TinyWorld(dir, model);
  }

  /** The settings of a short GRPO run on this world, plus {@code more}. */
  List<String> overrides(String... more) {
    List<String> o = new ArrayList<>();
    o.add("policy.model=" + model);
    o.add("policy.device=cpu");
    o.add("policy.threads=1");
    o.add("policy.training.mode=full");
    o.add("policy.training.optimizer.lr=1e-3");
    o.add("data.train_files=[" + dir.resolve("train.jsonl") + "]");
    o.add("data.val_files=[" + dir.resolve("dev.jsonl") + "]");
    o.add("search.local.index=" + dir.resolve("index"));
    o.add("search.local.corpus=" + dir.resolve("corpus.jsonl"));
    o.add("cache.path=" + dir.resolve("cache.db"));
    o.add("run.output_dir=" + dir.resolve("runs"));
    o.add("rollout.n=2");
    o.add("rollout.max_turns=2");
    o.add("rollout.max_new_tokens=16");
    o.add("rollout.max_total_tokens=600");
    o.add("rollout.search_top_k=2");
    o.add("trainer.train_batch_size=2");
    o.add("trainer.ppo_mini_batch_size=2");
    o.add("trainer.val_every=0");
    o.add("trainer.plots=false");
    o.addAll(List.of(more));
    return o;
  }

  DeepResearcherConfig config(String... more) {
    return ConfigLoader.load(null, overrides(more));
  }
}
