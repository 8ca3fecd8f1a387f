package dev.deepresearcher.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.testing.MockChatServer;
import dev.deepresearcher.core.testing.MockChatServer.Reply;
import dev.deepresearcher.core.testing.RunCli;
import dev.deepresearcher.evaluate.cli.CalculateMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MBE judge against a local server speaking the chat-completions wire format. */
class JudgeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /**
   * Rollouts whose answers steer the mock: "synonym-*" are judged correct, "wrong-*" incorrect,
   * "gibberish" gets replies without a verdict, "flaky-*" first meet a 429, a 500 and an HTML body.
   */
  private Path rollouts() throws IOException {
    List<String> lines = new ArrayList<>();
    String[][] rows = {
      {"nq", "Paris", "<answer>Paris</answer>"}, // exact match: 1, no request
      {"nq", "Paris", "<answer>synonym-city of light</answer>"},
      {"nq", "Paris", "<answer>wrong-london</answer>"},
      {"nq", "Paris", "<answer>unclosed"}, // format error: 0, no request
      {"tq", "4", "<answer>synonym-four</answer>"},
      {"tq", "4", "<answer>gibberish</answer>"},
      {"tq", "4", "<answer>flaky-4.0</answer>"},
      {"tq", "4", "<answer>wrong-5</answer>"},
    };
    for (int i = 0; i < rows.length; i++) {
      lines.add(
          JSON.writeValueAsString(
              Map.of(
                  "id", "q" + i,
                  "data_source", rows[i][0],
                  "question", "question " + i,
                  "ground_truth", rows[i][1],
                  "response", "<think>t</think>" + rows[i][2])));
    }
    Path file = dir.resolve("rollouts.jsonl");
    Files.write(file, lines);
    return file;
  }

  private static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

  private static Reply script(MockChatServer.Received r) {
    String prompt = r.lastMessage();
    String answer =
        prompt.substring(
            prompt.indexOf("pred_answer: ") + 13,
            prompt.indexOf('\n', prompt.indexOf("pred_answer: ")));
    int attempt = ATTEMPTS.computeIfAbsent(answer, k -> new AtomicInteger()).incrementAndGet();
    if (answer.startsWith("flaky") && attempt == 1) {
      return Reply.rateLimited(0);
    }
    if (answer.startsWith("flaky") && attempt == 2) {
      return Reply.error(500, "upstream hiccup");
    }
    if (answer.startsWith("flaky") && attempt == 3) {
      return Reply.garbage(); // a 200 whose body is an HTML error page
    }
    if (answer.startsWith("gibberish")) {
      return Reply.content("I am not sure what to say here.");
    }
    boolean correct = answer.startsWith("synonym") || answer.startsWith("flaky");
    return Reply.content(
        "```json\n{\"rationale\": \"compared meaning\", \"judgement\": \""
            + (correct ? "correct" : "incorrect")
            + "\"}\n```");
  }

  private RunCli.Result run(MockChatServer server, Path file, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--rollouts",
                file.toString(),
                "--out",
                dir.resolve("score.json").toString(),
                "--judge-url",
                server.baseUrl().toString(),
                "--judge-model",
                "mock-judge",
                "cache.path=" + dir.resolve("cache.db"),
                "evaluate.judge.initial_backoff=1ms",
                "evaluate.judge.max_backoff=5ms"));
    args.addAll(List.of(extra));
    return RunCli.run(
        new CalculateMetrics(Map.of("OPENAI_API_KEY", "sk-test")), args.toArray(String[]::new));
  }

  @Test
  void mbeFollowsTheVerdictsRetriesTransientErrorsAndCountsUnparseableAsIncorrect()
      throws IOException {
    ATTEMPTS.clear();
    Path file = rollouts();
    try (MockChatServer server = new MockChatServer(JudgeTest::script)) {
      RunCli.Result r = run(server, file);
      assertEquals(0, r.exitCode(), r.err());
      JsonNode score = JSON.readTree(dir.resolve("score.json").toFile());
      // nq: exact 1, synonym 1, wrong 0, format 0 -> 0.5; tq: synonym 1, gibberish 0, flaky 1,
      // wrong 0.
      assertEquals(0.5, score.get("nq").get("mbe").asDouble());
      assertEquals(0.5, score.get("tq").get("mbe").asDouble());
      assertEquals(0.25, score.get("nq").get("em").asDouble());
      // 6 answers needed the judge; gibberish asked twice (one retry); flaky four times.
      assertEquals(6 + 1 + 3, server.calls());
      assertEquals("Bearer sk-test", server.received().get(0).authorization());
      assertTrue(
          r.err()
              .contains(
                  "judge: 6 answers (6 asked now, 0 from cache): 1 unparseable (counted incorrect), 0 failed"),
          r.err());
      String prompt = server.received().get(0).lastMessage();
      assertTrue(prompt.contains("ground truth answers: ['"), prompt);

      // A rerun costs nothing: every verdict, the unparseable one too, comes from the cache.
      int before = server.calls();
      RunCli.Result again = run(server, file);
      assertEquals(0, again.exitCode(), again.err());
      assertEquals(before, server.calls());
      assertTrue(
          again.err().contains("judge: 6 answers (0 asked now, 6 from cache): 1 unparseable"),
          again.err());
      assertEquals(score, JSON.readTree(dir.resolve("score.json").toFile()));
    }
  }

  @Test
  void aJudgeThatKeepsFailingIsBoundedAndReportedAndNotCached() throws IOException {
    Path file = rollouts();
    AtomicInteger calls = new AtomicInteger();
    Function<MockChatServer.Received, Reply> down =
        r -> {
          calls.incrementAndGet();
          return Reply.error(503, "overloaded");
        };
    try (MockChatServer server = new MockChatServer(down)) {
      RunCli.Result r = run(server, file, "evaluate.judge.max_attempts=3");
      assertEquals(0, r.exitCode(), r.err());
      assertEquals(6 * 3, calls.get(), "three attempts per answer, no more");
      assertTrue(r.err().contains("6 failed (counted incorrect, not cached"), r.err());
      server.handler(JudgeTest::script);
      ATTEMPTS.clear();
      RunCli.Result again = run(server, file);
      assertTrue(
          again.err().contains("judge: 6 answers (6 asked now, 0 from cache)"),
          "failures were not cached: " + again.err());
    }
  }

  @Test
  void aBadKeyStopsTheEvaluationWithAClearMessage() throws IOException {
    Path file = rollouts();
    try (MockChatServer server =
        new MockChatServer(r -> Reply.error(401, "Incorrect API key provided"))) {
      RunCli.Result r = run(server, file);
      assertEquals(1, r.exitCode());
      assertTrue(r.err().contains("error: the MBE judge cannot be used:"), r.err());
      assertTrue(r.err().contains("401"), r.err());
      assertFalse(r.err().contains("sk-test"), r.err());
      assertFalse(r.err().contains("\tat "), r.err());
      assertFalse(Files.exists(dir.resolve("score.json")));
    }
  }

  @Test
  void requestsInFlightStayWithinTheConcurrencyBound() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      lines.add(
          JSON.writeValueAsString(
              Map.of(
                  "data_source",
                  "nq",
                  "ground_truth",
                  "x",
                  "response",
                  "<answer>wrong-" + i + "</answer>")));
    }
    Path file = dir.resolve("many.jsonl");
    Files.write(file, lines);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    try (MockChatServer server =
        new MockChatServer(
            r -> {
              int now = inFlight.incrementAndGet();
              peak.accumulateAndGet(now, Math::max);
              try {
                Thread.sleep(20);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              inFlight.decrementAndGet();
              return Reply.content("{\"judgement\": \"incorrect\"}");
            })) {
      RunCli.Result r = run(server, file, "--judge-concurrency", "3");
      assertEquals(0, r.exitCode(), r.err());
      assertEquals(40, server.calls());
      assertTrue(peak.get() <= 3, "peak " + peak.get());
      assertTrue(peak.get() >= 2, "requests did run in parallel: peak " + peak.get());
    }
  }
}
