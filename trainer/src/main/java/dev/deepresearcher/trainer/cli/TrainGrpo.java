package dev.deepresearcher.trainer.cli;

import dev.deepresearcher.core.cli.Cli;
import dev.deepresearcher.core.cli.ConfigOptions;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.trainer.TrainRun;
import dev.deepresearcher.trainer.demo.OfflineDemo;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code scripts/train_grpo.sh}: GRPO training of a policy (see {@link TrainRun}); with a
 * configuration whose {@code demo.enabled} is true, the whole offline demo (see {@link
 * OfflineDemo}).
 */
@Command(
    name = "train_grpo.sh",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Trains a research agent with GRPO: rollouts with web_search and browse_webpage through the"
          + " search handler, rewards, group-relative advantages, PPO-clip updates. Without"
          + " arguments it runs the offline demo (configs/tiny-offline.yaml).",
      "Example: scripts/train_grpo.sh --config configs/deepresearcher-7b.yaml"
          + " trainer.run_name=run1 cluster.backend=ray cluster.address=10.0.0.1:6379",
      "Resume: the same command with trainer.resume=true (and the same trainer.run_name)."
    })
public final class TrainGrpo implements Callable<Integer> {
  @Mixin ConfigOptions options;

  public static void main(String[] args) {
    System.exit(Cli.run(new TrainGrpo(), args));
  }

  @Override
  public Integer call() throws IOException {
    DeepResearcherConfig c = options.load();
    if (c.demo().enabled()) {
      OfflineDemo.run(
          options.configFile(), options.overrides(), System.getenv(), System.err, System.out);
    } else {
      TrainRun.run(c, System.getenv(), System.err);
    }
    return 0;
  }
}
