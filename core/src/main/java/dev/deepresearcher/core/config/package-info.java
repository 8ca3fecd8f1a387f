/**
 * Configuration: {@code configs/defaults.yaml}, then a user YAML, then {@code a.b.c=value}
 * overrides, bound by {@link dev.deepresearcher.core.config.ConfigLoader} to the immutable records
 * of this package ({@link dev.deepresearcher.core.config.DeepResearcherConfig} and its sections)
 * and validated in that one place. Every problem is reported at once, with its key path and origin.
 * Secrets are never part of the configuration: {@link dev.deepresearcher.core.config.SecretEnv}
 * names the environment variable that holds one.
 *
 * <pre>{@code
 * DeepResearcherConfig config = ConfigLoader.load(Path.of("my.yaml"), List.of("run.seed=7"));
 * }</pre>
 */
package dev.deepresearcher.core.config;
