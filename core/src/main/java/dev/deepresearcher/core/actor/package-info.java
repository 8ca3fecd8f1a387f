/**
 * The actor runtime: actors created from a class and an init message, called asynchronously through
 * typed method references, in this process or on a Ray cluster.
 *
 * <p>{@link dev.deepresearcher.core.actor.ActorRuntime} is the entry point, opened by {@link
 * dev.deepresearcher.core.actor.ActorRuntimes#create} from the {@code cluster} configuration;
 * backends live in {@code internal} and never leak their types (docs/actors.md).
 */
package dev.deepresearcher.core.actor;
