/**
 * The actor runtime: actors created from a class and an init message, called asynchronously through
 * typed method references, in this process or on a Ray cluster.
 *
 * <p>{@link dev.deepresearcher.core.actor.ActorRuntime} is the entry point; backends live in {@code
 * internal} and never leak their types.
 */
package dev.deepresearcher.core.actor;
