package dev.deepresearcher.core.actor;

import java.io.Serializable;

/**
 * A method of an actor that takes no message, named by a method reference such as {@code
 * RolloutWorker::weightsVersion}. See {@link ActorMethod} for what may cross.
 *
 * @param <A> the actor's class
 * @param <O> the reply
 */
@FunctionalInterface
public interface ActorMethod0<A, O> extends Serializable {
  O apply(A actor);
}
