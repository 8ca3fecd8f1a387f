package dev.deepresearcher.core.cli;

import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The configuration options every tool takes: {@code --config my.yaml} and trailing {@code
 * key.path=value} overrides. Mix it into a picocli command with {@code @Mixin}.
 */
public final class ConfigOptions {
  @Option(
      names = "--config",
      paramLabel = "YAML",
      description = "A YAML file overriding configs/defaults.yaml.")
  Path config;

  @Parameters(
      paramLabel = "KEY=VALUE",
      arity = "0..*",
      description = "Overrides of single keys, e.g. run.seed=7 evaluate.judge.url=null")
  List<String> overrides = new ArrayList<>();

  /** Loads the layered configuration; every problem is reported at once. */
  public DeepResearcherConfig load() {
    return ConfigLoader.load(config, overrides);
  }

  /** The user YAML given, or {@code null}. */
  public Path configFile() {
    return config;
  }

  /** The overrides given, in order. */
  public List<String> overrides() {
    return List.copyOf(overrides);
  }
}
