package dev.deepresearcher.core.config;

import java.util.Objects;

/**
 * The whole configuration of a run, parsed once from {@code configs/defaults.yaml}, a user YAML and
 * {@code key=value} overrides by {@link ConfigLoader}, and validated there. Immutable.
 *
 * <pre>{@code
 * DeepResearcherConfig config = ConfigLoader.load(Path.of("my.yaml"), List.of("run.seed=7"));
 * long seed = config.run().seed();
 * }</pre>
 */
public record DeepResearcherConfig(
    RunConfig run,
    DataConfig data,
    RewardConfig reward,
    CacheConfig cache,
    SearchConfig search,
    BrowseConfig browse,
    HandlerConfig handler,
    ClusterConfig cluster,
    PolicyConfig policy,
    SftConfig sft,
    EvaluateConfig evaluate,
    RolloutConfig rollout,
    TrainerConfig trainer,
    DemoConfig demo) {
  public DeepResearcherConfig {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(reward, "reward");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(search, "search");
    Objects.requireNonNull(browse, "browse");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(sft, "sft");
    Objects.requireNonNull(evaluate, "evaluate");
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(trainer, "trainer");
    Objects.requireNonNull(demo, "demo");
  }
}
