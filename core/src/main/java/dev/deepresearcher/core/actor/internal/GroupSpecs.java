package dev.deepresearcher.core.actor.internal;

import dev.deepresearcher.core.actor.ActorSpec;
import java.util.ArrayList;
import java.util.List;

/** The members' specs of a group: {@code <name>-0 … <name>-(n-1)}, as ActorRuntime names them. */
public final class GroupSpecs {
  private GroupSpecs() {}

  public static <A> List<ActorSpec<A>> of(ActorSpec<A> spec, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(
          "a group of " + n + " actors; ask for at least one (" + spec.options().name() + ")");
    }
    List<ActorSpec<A>> specs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      specs.add(
          new ActorSpec<>(
              spec.type(), spec.init(), spec.options().withName(spec.options().name() + "-" + i)));
    }
    return specs;
  }
}
