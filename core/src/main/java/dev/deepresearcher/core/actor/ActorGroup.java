package dev.deepresearcher.core.actor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Actors of one spec, e.g. the rollout workers, addressed together or one by one.
 *
 * @param members the actors, in creation order
 */
public record ActorGroup<A>(List<ActorRef<A>> members) {
  public ActorGroup {
    members = List.copyOf(members);
    if (members.isEmpty()) {
      throw new IllegalArgumentException("an actor group needs at least one member");
    }
  }

  public int size() {
    return members.size();
  }

  public ActorRef<A> get(int i) {
    return members.get(i);
  }

  /**
   * Calls {@code method} with the same message on every member; the future completes with the
   * replies in member order once all have replied, or fails with the first failure.
   */
  public <I, O> CompletableFuture<List<O>> broadcast(ActorMethod<A, I, O> method, I input) {
    List<CompletableFuture<O>> calls = new ArrayList<>();
    for (ActorRef<A> member : members) {
      calls.add(member.call(method, input));
    }
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .thenApply(ignored -> calls.stream().map(CompletableFuture::join).toList());
  }
}
