package dev.deepresearcher.core.actor;

import java.util.concurrent.CompletableFuture;

/**
 * A handle on one actor. Calls run on the actor one at a time, in the order they were made; each
 * returns at once with a future of the reply.
 *
 * <pre>{@code
 * ActorRef<Counter> counter = runtime.create(new ActorSpec<>(Counter.class, 10, ActorOptions.named("c")));
 * long total = counter.call(Counter::add, 5L).join(); // 15
 * }</pre>
 *
 * <p>A future fails with {@link ActorCallException} when the method threw, and with {@link
 * ActorDiedException} when the actor died (and was not restarted) before or during the call.
 */
public interface ActorRef<A> {
  /** The actor's name, from its options. */
  String name();

  /** Calls a one-message method. */
  <I, O> CompletableFuture<O> call(ActorMethod<A, I, O> method, I input);

  /** Calls a method without a message. */
  <O> CompletableFuture<O> call(ActorMethod0<A, O> method);

  /** How many times the actor was recreated after dying. */
  int restarts();
}
