package dev.deepresearcher.rollout;

import dev.deepresearcher.browse.BrowseRequest;
import dev.deepresearcher.browse.Extract;
import dev.deepresearcher.browse.PageResult;
import dev.deepresearcher.core.config.RolloutConfig;
import dev.deepresearcher.policy.FinishReason;
import dev.deepresearcher.policy.Generation;
import dev.deepresearcher.policy.Sampling;
import dev.deepresearcher.rollout.internal.ToolText;
import dev.deepresearcher.rollout.internal.TrajectoryState;
import dev.deepresearcher.rollout.internal.TurnParser;
import dev.deepresearcher.search.SearchHit;
import dev.deepresearcher.search.SearchResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent loop: runs {@code n} trajectories per question, each a sequence of assistant turns
 * (think, then one tool call or the answer) and tool responses, until it answers, breaks the format
 * or reaches a limit.
 *
 * <p>Every round generates one turn for all trajectories that are ready, in one batch; their tool
 * calls then run concurrently (the searches of a round as one batched request to the handler, each
 * browse on its own). Once the first result of a round is back, the loop waits at most {@code
 * rollout.tool_batch_window} for the rest and generates for whatever is ready: a slow page delays
 * only its own trajectory. Bad model output never throws: it is recorded in the turn and either
 * told to the policy (a malformed tool call) or ends the trajectory ({@code format_error}). A tool
 * that cannot be reached ends the trajectory as {@code tool_error}, with a warning, and the rest go
 * on.
 *
 * <pre>{@code
 * RolloutEngine engine = new RolloutEngine(TurnGenerator.of(policy), ChatFormat.of(policy, null),
 *     Tools.of(handlerClient), config.rollout(), policy::weightsVersion);
 * RolloutResult r = engine.run(new RolloutRequest(prompts, 16, seed, 0));
 * }</pre>
 */
public final class RolloutEngine {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutEngine.class);

  private final TurnGenerator generator;
  private final ChatFormat format;
  private final Tools tools;
  private final RolloutConfig config;
  private final LongSupplier weightsVersion;
  private final TurnParser parser;

  public RolloutEngine(
      TurnGenerator generator,
      ChatFormat format,
      Tools tools,
      RolloutConfig config,
      LongSupplier weightsVersion) {
    this.generator = Objects.requireNonNull(generator, "generator");
    this.format = Objects.requireNonNull(format, "format");
    this.tools = Objects.requireNonNull(tools, "tools");
    this.config = Objects.requireNonNull(config, "config");
    this.weightsVersion = Objects.requireNonNull(weightsVersion, "weightsVersion");
    this.parser = new TurnParser(config.maxQueries(), config.maxUrls());
  }

  /** What a tool call came back with. */
  private record Outcome(
      String response,
      String failure,
      long millis,
      List<SearchResult> searches,
      List<PageResult> pages) {}

  /** Runs the request's trajectories to their ends. */
  public RolloutResult run(RolloutRequest request) {
    long started = System.nanoTime();
    long version = weightsVersion.getAsLong();
    List<TrajectoryState> states = new ArrayList<>();
    for (Prompt prompt : request.prompts()) {
      ChatFormat.Start start = format.start(prompt.question());
      for (int k = 0; k < request.n(); k++) {
        states.add(new TrajectoryState(states.size(), prompt, k, start));
      }
    }
    double temperature =
        request.temperature() != null ? request.temperature() : config.temperature();
    long generateNanos = 0;
    long waitNanos = 0;
    int batches = 0;
    int toolCalls = 0;
    List<TrajectoryState> ready = new ArrayList<>(states);
    Map<TrajectoryState, CompletableFuture<Outcome>> pending = new LinkedHashMap<>();
    try (ExecutorService io = Executors.newVirtualThreadPerTaskExecutor()) {
      while (!ready.isEmpty() || !pending.isEmpty()) {
        if (ready.isEmpty()) {
          long t0 = System.nanoTime();
          awaitRound(pending.values());
          waitNanos += System.nanoTime() - t0;
        }
        // Whatever came back joins this round.
        for (Iterator<Map.Entry<TrajectoryState, CompletableFuture<Outcome>>> it =
                pending.entrySet().iterator();
            it.hasNext(); ) {
          Map.Entry<TrajectoryState, CompletableFuture<Outcome>> e = it.next();
          if (e.getValue().isDone()) {
            it.remove();
            if (answerTool(e.getKey(), e.getValue().join())) {
              ready.add(e.getKey());
            }
          }
        }
        if (ready.isEmpty()) {
          continue;
        }
        ready.sort(Comparator.comparingInt(TrajectoryState::index)); // batches in a stable order
        long t0 = System.nanoTime();
        List<TrajectoryState> calling = new ArrayList<>();
        batches += generateTurns(ready, request.seed(), temperature, calling);
        generateNanos += System.nanoTime() - t0;
        ready = new ArrayList<>();
        for (TrajectoryState s : calling) {
          if (s.pendingCall() == null) {
            ready.add(s); // a malformed call: the error is the response, no tool runs
          }
        }
        toolCalls += calling.size() - ready.size();
        pending.putAll(dispatch(calling, io));
      }
    }
    List<Trajectory> out = new ArrayList<>(states.size());
    for (TrajectoryState s : states) {
      out.add(s.finish(format, version));
    }
    long sampled = out.stream().mapToLong(Trajectory::sampledTokens).sum();
    return new RolloutResult(
        out,
        new RolloutStats(
            (System.nanoTime() - started) / 1_000_000,
            generateNanos / 1_000_000,
            waitNanos / 1_000_000,
            batches,
            sampled,
            toolCalls));
  }

  /** Blocks until one call is back, then at most the batch window for the others. */
  private void awaitRound(Iterable<CompletableFuture<Outcome>> calls) {
    List<CompletableFuture<Outcome>> all = new ArrayList<>();
    calls.forEach(all::add);
    CompletableFuture.anyOf(all.toArray(CompletableFuture[]::new)).join();
    long deadline = System.nanoTime() + config.toolBatchWindow().toNanos();
    for (CompletableFuture<Outcome> f : all) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        f.get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RolloutException("interrupted while waiting for tools", e);
      } catch (ExecutionException e) {
        // An outcome never fails (failures are values); nothing to wait for here.
      }
    }
  }

  /**
   * Generates one turn for each ready trajectory and reads it. Trajectories that call a tool (or
   * wrote a malformed call) go to {@code calling}; the others end here. Returns the number of
   * generation batches run.
   */
  private int generateTurns(
      List<TrajectoryState> ready, long seed, double temperature, List<TrajectoryState> calling) {
    // One batch per token allowance: most share the full allowance.
    TreeMap<Integer, List<TrajectoryState>> byAllowance = new TreeMap<>();
    for (TrajectoryState s : ready) {
      int allowance =
          Math.min(
              config.maxNewTokens(),
              Math.min(config.maxTotalTokens(), generator.contextLength()) - s.length());
      if (allowance < 1) {
        s.end(TrajectoryEnd.MAX_TOKENS, null);
      } else {
        byAllowance.computeIfAbsent(allowance, a -> new ArrayList<>()).add(s);
      }
    }
    for (Map.Entry<Integer, List<TrajectoryState>> group : byAllowance.entrySet()) {
      List<TrajectoryState> batch = group.getValue();
      List<int[]> prompts = new ArrayList<>(batch.size());
      long[] seeds = new long[batch.size()];
      for (int i = 0; i < batch.size(); i++) {
        prompts.add(batch.get(i).ids());
        seeds[i] = mix(seed, batch.get(i).seedKey(), batch.get(i).turns());
      }
      Sampling sampling =
          new Sampling(group.getKey(), temperature, config.topP(), config.topK(), seed, List.of());
      long t0 = System.nanoTime();
      List<Generation> generations = generator.generate(prompts, sampling, seeds);
      long millis = (System.nanoTime() - t0) / 1_000_000;
      for (int i = 0; i < batch.size(); i++) {
        read(batch.get(i), generations.get(i), millis, calling);
      }
    }
    return byAllowance.size();
  }

  private void read(TrajectoryState s, Generation g, long millis, List<TrajectoryState> calling) {
    s.sampled(g, millis);
    if (g.finishReason() != FinishReason.EOS) {
      s.end(
          TrajectoryEnd.MAX_TOKENS,
          "the turn reached " + g.tokens().length + " tokens without ending");
      return;
    }
    switch (parser.parse(g.text())) {
      case TurnParser.Answer a -> s.answered(a.answer());
      case TurnParser.FormatError f -> s.end(TrajectoryEnd.FORMAT_ERROR, f.reason());
      case TurnParser.BadCall b -> {
        if (s.turns() >= config.maxTurns()) {
          s.end(TrajectoryEnd.MAX_TURNS, b.reason());
        } else {
          s.badCall(b.reason());
          if (answerTool(s, new Outcome(ToolText.error(b.reason()), null, 0, null, null))) {
            calling.add(s);
          }
        }
      }
      case TurnParser.Call c -> {
        if (s.turns() >= config.maxTurns()) {
          s.end(TrajectoryEnd.MAX_TURNS, null);
        } else {
          s.calls(c.call());
          calling.add(s);
        }
      }
    }
  }

  /** Starts the tool calls of a round: its searches as one batch, each browse on its own. */
  private Map<TrajectoryState, CompletableFuture<Outcome>> dispatch(
      List<TrajectoryState> calling, ExecutorService io) {
    Map<TrajectoryState, CompletableFuture<Outcome>> out = new LinkedHashMap<>();
    List<TrajectoryState> searching = new ArrayList<>();
    List<String> queries = new ArrayList<>();
    for (TrajectoryState s : calling) {
      ToolCall call = s.pendingCall();
      if (call == null) {
        continue;
      }
      if (call.tool().equals(ToolCall.WEB_SEARCH)) {
        searching.add(s);
        queries.addAll(call.arguments());
      } else {
        BrowseRequest request =
            new BrowseRequest(
                s.prompt().question(),
                s.subQuestion(call.arguments()),
                call.arguments(),
                s.lastSearchUrls(),
                s.seenExtracts());
        out.put(s, CompletableFuture.supplyAsync(() -> browse(request, call.dropped()), io));
      }
    }
    if (!searching.isEmpty()) {
      CompletableFuture<List<SearchResult>> batch =
          CompletableFuture.supplyAsync(() -> tools.search(queries, config.searchTopK()), io);
      long t0 = System.nanoTime();
      int from = 0;
      for (TrajectoryState s : searching) {
        ToolCall call = s.pendingCall();
        int offset = from;
        from += call.arguments().size();
        out.put(
            s,
            batch.handle(
                (results, failure) -> {
                  long millis = (System.nanoTime() - t0) / 1_000_000;
                  if (failure != null) {
                    return failed("web_search", failure, millis);
                  }
                  List<SearchResult> mine =
                      results.subList(offset, offset + call.arguments().size());
                  return new Outcome(
                      ToolText.search(call.arguments(), mine, call.dropped()),
                      null,
                      millis,
                      mine,
                      null);
                }));
      }
    }
    return out;
  }

  private Outcome browse(BrowseRequest request, int dropped) {
    long t0 = System.nanoTime();
    try {
      List<PageResult> pages = tools.browse(request);
      return new Outcome(
          ToolText.browse(pages, dropped), null, (System.nanoTime() - t0) / 1_000_000, null, pages);
    } catch (RuntimeException e) {
      return failed("browse_webpage", e, (System.nanoTime() - t0) / 1_000_000);
    }
  }

  private static Outcome failed(String tool, Throwable failure, long millis) {
    Throwable cause =
        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    String message = tool + " failed: " + cause.getMessage();
    LOG.warn("{} (the trajectory ends as tool_error; the run goes on)", message);
    return new Outcome(null, message, millis, null, null);
  }

  /**
   * Gives a trajectory its tool's outcome. Returns whether it goes on (false when the tool failed
   * or the response does not fit the token budget).
   */
  private boolean answerTool(TrajectoryState s, Outcome o) {
    if (o.failure() != null) {
      s.toolFailed(o.failure(), o.millis());
      return false;
    }
    if (o.searches() != null) {
      List<String> urls = new ArrayList<>();
      Map<String, String> found = new LinkedHashMap<>();
      List<String> queries = s.pendingCall().arguments();
      for (int q = 0; q < o.searches().size(); q++) {
        for (SearchHit h : o.searches().get(q).hits()) {
          urls.add(h.url());
          found.putIfAbsent(h.url(), queries.get(q));
        }
      }
      s.searched(urls, found);
    }
    if (o.pages() != null) {
      List<String> ids = new ArrayList<>();
      for (PageResult p : o.pages()) {
        for (Extract e : p.extracts()) {
          ids.add(e.id());
        }
      }
      s.browsed(ids);
    }
    String response = ToolText.cap(o.response(), config.maxToolResponseChars());
    ChatFormat.Delta delta = format.afterTurn(s.historyWithTurn(), response);
    return s.responded(response, delta, o.millis(), config.maxTotalTokens());
  }

  /**
   * The sampling seed of one trajectory's turn: independent of batching and of how questions are
   * spread over workers.
   */
  static long mix(long seed, long trajectory, int turn) {
    long z = seed * 0x9E3779B97F4A7C15L + trajectory * 0xBF58476D1CE4E5B9L + turn + 1;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
