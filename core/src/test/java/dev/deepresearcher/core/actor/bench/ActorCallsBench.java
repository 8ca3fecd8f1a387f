package dev.deepresearcher.core.actor.bench;

import dev.deepresearcher.core.actor.ActorOptions;
import dev.deepresearcher.core.actor.ActorRef;
import dev.deepresearcher.core.actor.ActorRuntime;
import dev.deepresearcher.core.actor.ActorRuntimes;
import dev.deepresearcher.core.actor.ActorSpec;
import dev.deepresearcher.core.actor.TestActors.Counter;
import dev.deepresearcher.core.actor.TestActors.Echo;
import dev.deepresearcher.core.config.ActorBackend;
import dev.deepresearcher.core.config.ClusterConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Calls per second through the actor runtime: one at a time (each waits for its reply), pipelined
 * (all submitted, then awaited), and a 4 MB {@code byte[]} there and back.
 *
 * <pre>
 * scripts/bench core --main dev.deepresearcher.core.actor.bench.ActorCallsBench [RAY_ADDRESS]
 * </pre>
 */
public final class ActorCallsBench {
  private ActorCallsBench() {}

  public static void main(String[] args) {
    System.out.printf(
        "%-22s %14s %14s %16s%n", "backend", "sync calls/s", "piped calls/s", "4 MB echo, ms");
    run("in-process", ClusterConfig.inProcess(), 200_000, 1_000_000);
    run(
        "in-process round-trip",
        new ClusterConfig(ActorBackend.IN_PROCESS, null, null, List.of(), true),
        100_000,
        300_000);
    if (args.length > 0) {
      run(
          "ray",
          new ClusterConfig(ActorBackend.RAY, args[0], null, List.of("-Xmx1g"), false),
          3_000,
          30_000);
    }
  }

  private static void run(String label, ClusterConfig config, int sync, int piped) {
    try (ActorRuntime runtime = ActorRuntimes.create(config)) {
      ActorRef<Counter> counter =
          runtime.create(new ActorSpec<>(Counter.class, 0L, ActorOptions.named("counter")));
      ActorRef<Echo> echo =
          runtime.create(new ActorSpec<>(Echo.class, null, ActorOptions.named("echo")));
      for (int i = 0; i < sync / 10; i++) {
        counter.call(Counter::add, 1L).join(); // warm-up
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < sync; i++) {
        counter.call(Counter::add, 1L).join();
      }
      double syncRate = sync / ((System.nanoTime() - t0) / 1e9);
      List<CompletableFuture<Long>> replies = new ArrayList<>(piped);
      t0 = System.nanoTime();
      for (int i = 0; i < piped; i++) {
        replies.add(counter.call(Counter::add, 1L));
      }
      for (CompletableFuture<Long> r : replies) {
        r.join();
      }
      double pipedRate = piped / ((System.nanoTime() - t0) / 1e9);
      byte[] payload = new byte[4 << 20];
      int echoes = 30;
      for (int i = 0; i < 5; i++) {
        echo.call(Echo::bytes, payload).join();
      }
      t0 = System.nanoTime();
      for (int i = 0; i < echoes; i++) {
        echo.call(Echo::bytes, payload).join();
      }
      double echoMs = (System.nanoTime() - t0) / 1e6 / echoes;
      System.out.printf("%-22s %,14.0f %,14.0f %16.1f%n", label, syncRate, pipedRate, echoMs);
    }
  }
}
