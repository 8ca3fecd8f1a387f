package dev.deepresearcher.core.actor;

import java.util.Objects;

/**
 * What an actor is: its class, the message it is constructed from, and its options.
 *
 * <p>The class must be public with a public constructor taking exactly one argument of the init
 * message's type (or no argument when {@code init} is {@code null}). A cluster backend constructs
 * it in another process from the encoded init message, so everything the actor needs (model folder,
 * handler URLs, settings) must be in that message, not captured from the caller. If the class is
 * {@link AutoCloseable}, it is closed when the runtime shuts down or the actor is restarted.
 *
 * @param type the actor's class
 * @param init the constructor's argument, or {@code null} for a no-argument constructor
 * @param options placement and restarts
 */
public record ActorSpec<A>(Class<A> type, Object init, ActorOptions options) {
  public ActorSpec {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(options, "options");
  }
}
