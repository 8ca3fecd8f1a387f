package dev.deepresearcher.core.actor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.deepresearcher.core.actor.TestActors.Broken;
import dev.deepresearcher.core.actor.TestActors.Closing;
import dev.deepresearcher.core.actor.TestActors.Counter;
import dev.deepresearcher.core.actor.TestActors.Echo;
import dev.deepresearcher.core.actor.TestActors.Fragile;
import dev.deepresearcher.core.actor.TestActors.Holder;
import dev.deepresearcher.core.actor.TestActors.Item;
import dev.deepresearcher.core.actor.TestActors.Named;
import dev.deepresearcher.core.actor.TestActors.Tagged;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every actor runtime backend promises; one subclass per backend. The same actor classes and
 * calls run on each, so a test that passes in-process with round trips and fails on Ray (or the
 * other way) is a backend bug.
 */
abstract class ActorRuntimeContract {
  @TempDir Path dir;

  protected ActorRuntime runtime;

  /** A fresh runtime of the backend under test. */
  protected abstract ActorRuntime open();

  /** {@link ActorRuntime#backend()} of the backend under test. */
  protected abstract String backend();

  /** Whether messages are encoded on the way (round trips, or a real process boundary). */
  protected abstract boolean encodesMessages();

  /** Whether actors live in other processes than the caller. */
  protected abstract boolean separateProcesses();

  /** Calls per caller in the ordering and crossing tests; a cluster call costs more. */
  protected int callsPerCaller() {
    return 300;
  }

  @BeforeEach
  void openRuntime() {
    runtime = open();
  }

  @AfterEach
  void closeRuntime() {
    if (runtime != null) {
      runtime.close();
    }
  }

  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the call did not complete normally: " + e, e);
    }
  }

  /** The exception a call's future failed with. */
  static Throwable failure(CompletableFuture<?> future) {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> future.get(120, TimeUnit.SECONDS));
    return e.getCause();
  }

  private static ActorOptions options(String name) {
    return ActorOptions.named(name).withCpus(0.5);
  }

  @Test
  void anActorIsConstructedFromItsInitMessageAndAnswersCalls() {
    ActorRef<Counter> counter =
        runtime.create(new ActorSpec<>(Counter.class, 10L, options("counter")));
    assertEquals(backend(), runtime.backend());
    assertEquals("counter", counter.name());
    assertEquals(15L, await(counter.call(Counter::add, 5L)));
    assertEquals(15L, await(counter.call(Counter::total)));
    assertEquals(0, counter.restarts());
    long pid = await(counter.call(Counter::pid));
    assertEquals(
        separateProcesses(),
        pid != ProcessHandle.current().pid(),
        "the actor runs in " + (separateProcesses() ? "another" : "this") + " process");
  }

  @Test
  void callsOnOneActorRunOneAtATimeInTheOrderTheyWereMade() throws Exception {
    ActorRef<Counter> counter = runtime.create(new ActorSpec<>(Counter.class, null, options("c")));
    int callers = 4;
    int calls = callsPerCaller();
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    List<Future<List<CompletableFuture<Integer>>>> submitted = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      String caller = "caller" + c;
      submitted.add(
          pool.submit(
              () -> {
                List<CompletableFuture<Integer>> replies = new ArrayList<>();
                for (int i = 0; i < calls; i++) {
                  replies.add(counter.call(Counter::append, new Tagged(caller, i)));
                }
                return replies;
              }));
    }
    for (Future<List<CompletableFuture<Integer>>> f : submitted) {
      for (CompletableFuture<Integer> reply : f.get()) {
        await(reply);
      }
    }
    pool.shutdown();
    List<String> log = await(counter.call(Counter::log));
    assertFalse(await(counter.call(Counter::overlapped)), "two calls ran at once");
    assertEquals(callers * calls, log.size());
    Map<String, Integer> last = new HashMap<>();
    for (String entry : log) {
      String[] parts = entry.split(":");
      int seq = Integer.parseInt(parts[1]);
      assertEquals(last.getOrDefault(parts[0], -1) + 1, seq, "out of order at " + entry);
      last.put(parts[0], seq);
    }
  }

  @Test
  void manyActorsCalledConcurrentlyEachGetTheirOwnCalls() throws Exception {
    int n = 3;
    List<ActorRef<Named>> actors = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      actors.add(runtime.create(new ActorSpec<>(Named.class, "actor-" + i, options("n" + i))));
    }
    int callers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    List<Future<Integer>> wrong = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      int seed = c;
      wrong.add(
          pool.submit(
              () -> {
                Random random = new Random(seed);
                List<CompletableFuture<String>> replies = new ArrayList<>();
                List<Integer> targets = new ArrayList<>();
                for (int i = 0; i < callsPerCaller(); i++) {
                  int t = random.nextInt(n);
                  targets.add(t);
                  replies.add(actors.get(t).call(Named::whoAmI, new Tagged("c" + seed, i)));
                }
                int misses = 0;
                for (int i = 0; i < replies.size(); i++) {
                  if (!("actor-" + targets.get(i)).equals(await(replies.get(i)))) {
                    misses++;
                  }
                }
                return misses;
              }));
    }
    int misses = 0;
    for (Future<Integer> f : wrong) {
      misses += f.get();
    }
    pool.shutdown();
    assertEquals(0, misses, "calls that ran on another actor than the one called");
  }

  @Test
  void aBroadcastReachesEveryMemberOfAGroupAndRepliesInMemberOrder() {
    ActorGroup<Counter> group =
        runtime.createGroup(new ActorSpec<>(Counter.class, 10L, options("counter")), 3);
    assertEquals(
        List.of("counter-0", "counter-1", "counter-2"),
        group.members().stream().map(ActorRef::name).toList());
    await(group.get(1).call(Counter::add, 100L));
    assertEquals(List.of(15L, 115L, 15L), await(group.broadcast(Counter::add, 5L)));
  }

  @Test
  void recordsListsMapsAndBytesCrossIntactAndNullsStayNull() {
    ActorRef<Echo> echo = runtime.create(new ActorSpec<>(Echo.class, null, options("echo")));
    Item leaf =
        new Item(
            "leaf",
            new int[] {1, 2, 151643},
            new float[] {-0.25f, Float.NaN, Float.NEGATIVE_INFINITY, Float.MIN_VALUE},
            new byte[] {0, -1, 127},
            List.of("a", "b"),
            Map.of("x", 1L, "y", Long.MAX_VALUE),
            null);
    Item root = new Item("root", new int[0], new float[0], null, List.of(), Map.of(), leaf);
    Item back = await(echo.call(Echo::item, root));
    assertEquals("root", back.id());
    assertNull(back.payload());
    assertArrayEquals(leaf.ids(), back.child().ids());
    assertArrayEquals(leaf.logprobs(), back.child().logprobs());
    assertArrayEquals(leaf.payload(), back.child().payload());
    assertEquals(leaf.tags(), back.child().tags());
    assertEquals(leaf.counts(), back.child().counts());

    List<Item> items = await(echo.call(Echo::items, List.of(leaf, root)));
    assertInstanceOf(Item.class, items.get(1), "List<Item> decodes to records, not maps");
    assertEquals("leaf", items.get(1).child().id());
    Map<String, List<Item>> groups = await(echo.call(Echo::grouped, Map.of("g", List.of(leaf))));
    assertInstanceOf(Item.class, groups.get("g").get(0));

    byte[] weights = new byte[4 << 20];
    new Random(7).nextBytes(weights);
    assertArrayEquals(weights, await(echo.call(Echo::bytes, weights)));
    assertNull(await(echo.call(Echo::text, null)));
    assertEquals("naïve ✓ 中文", await(echo.call(Echo::text, "naïve ✓ 中文")));
  }

  @Test
  void aMethodThatThrowsFailsThatCallAndTheActorKeepsItsState() {
    ActorRef<Fragile> actor = runtime.create(new ActorSpec<>(Fragile.class, "f", options("f")));
    assertEquals(1, await(actor.call(Fragile::calls)));
    Throwable thrown = failure(actor.call(Fragile::fail, "the index is empty"));
    ActorCallException e = assertInstanceOf(ActorCallException.class, thrown);
    assertTrue(e.getMessage().contains("actor f"), e.getMessage());
    assertTrue(e.getMessage().contains("Fragile::fail"), e.getMessage());
    assertTrue(e.getMessage().contains("the index is empty"), e.getMessage());
    assertEquals(IllegalStateException.class.getName(), e.remoteType());
    assertEquals("the index is empty", e.getCause().getMessage());
    assertEquals(2, await(actor.call(Fragile::calls)), "same instance, state kept");
    assertEquals(0, actor.restarts());
  }

  @Test
  void aDyingActorIsRestartedFromItsInitMessageWhileRestartsAreLeft() {
    ActorRef<Fragile> actor =
        runtime.create(new ActorSpec<>(Fragile.class, "f", options("f").withMaxRestarts(1)));
    assertEquals(1, await(actor.call(Fragile::calls)));
    CompletableFuture<Integer> busy = actor.call(Fragile::nap, 300);
    CompletableFuture<String> dying = actor.call(Fragile::die, "out of memory, say");
    List<CompletableFuture<Integer>> queued = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      queued.add(actor.call(Fragile::calls));
    }
    assertEquals(300, await(busy));
    assertInstanceOf(ActorDiedException.class, failure(dying));
    for (CompletableFuture<Integer> q : queued) {
      assertInstanceOf(ActorDiedException.class, failure(q), "a call queued behind the death");
    }
    assertEquals(1, await(actor.call(Fragile::calls)), "a new instance counts from 1");
    assertEquals(1, actor.restarts());

    assertInstanceOf(ActorDiedException.class, failure(actor.call(Fragile::die, "again")));
    Throwable dead = failure(actor.call(Fragile::calls));
    assertInstanceOf(ActorDiedException.class, dead);
    assertTrue(dead.getMessage().contains("actor f"), dead.getMessage());
    assertEquals(1, actor.restarts());
  }

  @Test
  void aDyingActorWithoutRestartsStaysDead() {
    ActorRef<Fragile> actor = runtime.create(new ActorSpec<>(Fragile.class, "f", options("f")));
    Throwable died = failure(actor.call(Fragile::die, "boom"));
    assertInstanceOf(ActorDiedException.class, died);
    assertTrue(died.getMessage().contains("not restarted"), died.getMessage());
    assertInstanceOf(ActorDiedException.class, failure(actor.call(Fragile::calls)));
    assertEquals(0, actor.restarts());
  }

  @Test
  void anActorWhoseConstructorThrowsIsReportedByCreate() {
    ActorException e =
        assertThrows(
            ActorException.class,
            () ->
                runtime.create(
                    new ActorSpec<>(Broken.class, "no model folder", options("broken"))));
    assertTrue(e.getMessage().contains("actor broken"), e.getMessage());
    assertTrue(e.getMessage().contains("no model folder"), e.getMessage());
  }

  @Test
  void aMessageThatCannotCrossIsRefusedWithWhatAndWhy() {
    assumeTrue(encodesMessages(), "only a backend that encodes messages can tell");
    ActorRef<Echo> echo = runtime.create(new ActorSpec<>(Echo.class, null, options("echo")));
    ActorException e =
        assertThrows(
            ActorException.class,
            () -> echo.call(Echo::length, new Holder(Thread.currentThread())));
    assertTrue(e.getMessage().contains("Echo::length"), e.getMessage());
    assertTrue(e.getMessage().contains("java.lang.Thread is not a record"), e.getMessage());
    Throwable reply = failure(echo.call(Echo::thread));
    assertInstanceOf(ActorCallException.class, reply);
    assertTrue(reply.getMessage().contains("cannot cross"), reply.getMessage());
    assertEquals(5, await(echo.call(Echo::length, new Holder("fine!"))));
  }

  @Test
  void aLambdaOrANonPublicMethodIsRefusedWithTheFix() {
    ActorRef<Counter> counter = runtime.create(new ActorSpec<>(Counter.class, 0L, options("c")));
    ActorException lambda =
        assertThrows(ActorException.class, () -> counter.call((c, n) -> c.add(n), 1L));
    assertTrue(
        lambda.getMessage().contains("pass a method reference to a public method"),
        lambda.getMessage());
    ActorException hidden =
        assertThrows(ActorException.class, () -> counter.call(Counter::secret, 1L));
    assertTrue(hidden.getMessage().contains("not public"), hidden.getMessage());
    assertEquals(1L, await(counter.call(Counter::add, 1L)));
  }

  @Test
  void closingTheRuntimeFinishesQueuedCallsAndClosesAutoCloseableActors() throws Exception {
    Path marker = dir.resolve("closed.txt");
    ActorRef<Closing> actor =
        runtime.create(new ActorSpec<>(Closing.class, marker.toString(), options("closing")));
    CompletableFuture<String> queued = actor.call(Closing::ping);
    runtime.close();
    assertEquals("pong", await(queued));
    assertEquals("closed", Files.readString(marker));
    assertThrows(Exception.class, () -> actor.call(Closing::ping).get(60, TimeUnit.SECONDS));
    runtime = null;
  }
}
