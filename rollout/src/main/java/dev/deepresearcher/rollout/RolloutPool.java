package dev.deepresearcher.rollout;

import dev.deepresearcher.core.actor.ActorGroup;
import dev.deepresearcher.core.actor.ActorOptions;
import dev.deepresearcher.core.actor.ActorRuntime;
import dev.deepresearcher.core.actor.ActorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The rollout actors of a run: creates them on an actor runtime, spreads questions over them and
 * keeps their weights in step with the trainer.
 *
 * <pre>{@code
 * RolloutPool pool = RolloutPool.start(runtime, init, config.rollout());
 * pool.pushWeights(trainer.exportWeights());
 * RolloutResult r = pool.run(prompts, 16, seed, trainer.steps());
 * }</pre>
 */
public final class RolloutPool {
  private final ActorGroup<RolloutWorker> workers;
  private long version;

  private RolloutPool(ActorGroup<RolloutWorker> workers) {
    this.workers = workers;
  }

  /** Creates {@code rollout.workers} actors, each loading the policy from {@code init.model}. */
  public static RolloutPool start(ActorRuntime runtime, RolloutWorker.Init init) {
    ActorOptions options =
        ActorOptions.named("rollout")
            .withCpus(init.rollout().workerCpus())
            .withGpus(init.rollout().workerGpus());
    return new RolloutPool(
        runtime.createGroup(
            new ActorSpec<>(RolloutWorker.class, init, options), init.rollout().workers()));
  }

  /** The actors. */
  public ActorGroup<RolloutWorker> workers() {
    return workers;
  }

  /** Installs a weights update on every worker; returns its version. */
  public long pushWeights(byte[] payload) {
    List<Long> versions = workers.broadcast(RolloutWorker::importWeights, payload).join();
    version = versions.get(0);
    return version;
  }

  /**
   * Runs {@code n} trajectories for each question, the questions split into contiguous shares, one
   * per worker; returns them in question order. The sampling does not depend on the split.
   */
  public RolloutResult run(List<Prompt> prompts, int n, long seed) {
    return run(prompts, n, seed, null);
  }

  /** As {@link #run(List, int, long)}, sampling at {@code temperature} (0: greedy). */
  public RolloutResult run(List<Prompt> prompts, int n, long seed, Double temperature) {
    int w = Math.min(workers.size(), Math.max(1, prompts.size()));
    List<CompletableFuture<RolloutResult>> calls = new ArrayList<>();
    for (int i = 0; i < w; i++) {
      int from = prompts.size() * i / w;
      int to = prompts.size() * (i + 1) / w;
      calls.add(
          workers
              .get(i)
              .call(
                  RolloutWorker::generate,
                  new RolloutRequest(prompts.subList(from, to), n, seed, version, temperature)));
    }
    List<Trajectory> all = new ArrayList<>();
    RolloutStats stats = null;
    for (CompletableFuture<RolloutResult> call : calls) {
      RolloutResult r = call.join();
      all.addAll(r.trajectories());
      stats = stats == null ? r.stats() : stats.plus(r.stats());
    }
    return new RolloutResult(all, stats);
  }
}
