/**
 * Core: what every other module stands on.
 *
 * <ul>
 *   <li>{@link dev.deepresearcher.core.config} — configuration: {@code configs/defaults.yaml}, a
 *       user YAML, then {@code a.b.c=value} overrides, parsed once into immutable records and
 *       validated in one place;
 *   <li>{@link dev.deepresearcher.core.data} — question-answering datasets in DeepResearcher's verl
 *       parquet layout and the same layout as JSON lines, streamed;
 *   <li>{@link dev.deepresearcher.core.cache} — a persistent, crash-safe key-value cache with a
 *       TTL;
 *   <li>{@link dev.deepresearcher.core.llm} — a client for OpenAI-compatible chat endpoints;
 *   <li>{@link dev.deepresearcher.core.cli} — what the command-line tools share: clear errors
 *       without stack traces, and a progress bar.
 * </ul>
 *
 * <p>{@link dev.deepresearcher.core.DeepResearcherException} is the root of every exception the
 * framework throws for a user mistake or a failed dependency; its message names the value, the rule
 * and the fix.
 */
package dev.deepresearcher.core;
