package dev.deepresearcher.core.actor;

import java.io.Serializable;

/**
 * A method of an actor that takes one message, named by a method reference such as {@code
 * RolloutWorker::generate}. Serializable so that a cluster backend can name the method in another
 * process; only method references to public methods of the actor's class are accepted (a lambda is
 * refused when the call is made).
 *
 * @param <A> the actor's class
 * @param <I> the message: a record, a string, a boxed primitive, {@code byte[]}, or lists and maps
 *     of those
 * @param <O> the reply, of the same kinds
 */
@FunctionalInterface
public interface ActorMethod<A, I, O> extends Serializable {
  O apply(A actor, I input);
}
