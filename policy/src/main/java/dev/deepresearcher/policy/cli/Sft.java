package dev.deepresearcher.policy.cli;

import dev.deepresearcher.core.cli.Cli;
import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.policy.sft.SftRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code scripts/sft}: supervised fine-tuning of a policy on conversations, the loss on the
 * assistant's messages (see {@link SftRun}).
 */
@Command(
    name = "sft",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Supervised fine-tuning of a Qwen2 model folder on JSON-lines conversations"
          + " ({\"messages\": [...]}), the loss on the assistant's messages only. Writes"
          + " checkpoint-N/, adapter/ (LoRA), model/ and metrics.jsonl into sft.out.",
      "Example: scripts/sft --data chats.jsonl --model models/Qwen2.5-0.5B-Instruct --out runs/sft"
          + " policy.training.mode=lora sft.epochs=3",
      "Short forms: data=FILE model=DIR out=DIR stand for sft.data, policy.model, sft.out."
    })
public final class Sft implements Callable<Integer> {
  @Option(
      names = "--config",
      paramLabel = "YAML",
      description = "A YAML file overriding configs/defaults.yaml.")
  Path config;

  @Option(names = "--data", paramLabel = "FILE", description = "The conversations (sft.data).")
  Path data;

  @Option(names = "--model", paramLabel = "DIR", description = "The model folder (policy.model).")
  Path model;

  @Option(names = "--out", paramLabel = "DIR", description = "The run's folder (sft.out).")
  Path out;

  @Parameters(
      paramLabel = "KEY=VALUE",
      arity = "0..*",
      description = "Overrides, e.g. policy.training.optimizer.lr=1e-4 sft.batch_size=16")
  List<String> overrides = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(Cli.run(new Sft(), args));
  }

  @Override
  public Integer call() throws IOException {
    List<String> all = new ArrayList<>();
    for (String o : overrides) {
      all.add(expand(o));
    }
    if (data != null) {
      all.add("sft.data=" + data);
    }
    if (model != null) {
      all.add("policy.model=" + model);
    }
    if (out != null) {
      all.add("sft.out=" + out);
    }
    DeepResearcherConfig c = ConfigLoader.load(config, all);
    SftRun.run(c, System.err);
    return 0;
  }

  /** {@code data=…}, {@code model=…} and {@code out=…} as the short forms of their keys. */
  static String expand(String override) {
    for (String[] alias :
        new String[][] {
          {"data=", "sft.data="}, {"model=", "policy.model="}, {"out=", "sft.out="}
        }) {
      if (override.startsWith(alias[0])) {
        return alias[1] + override.substring(alias[0].length());
      }
    }
    return override;
  }
}
