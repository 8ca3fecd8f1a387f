package dev.deepresearcher.reward.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.config.RewardName;
import dev.deepresearcher.core.data.QaExample;
import dev.deepresearcher.reward.RewardFunction;
import dev.deepresearcher.reward.Rewards;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reward throughput on one core: short answers (the 600 reference responses, ~150 characters) and
 * 20 KB multi-turn trajectories with tool responses. Run with {@code scripts/bench reward}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
@Threads(1)
public class RewardBenchmark {
  /** Which reward: the DeepResearcher training reward or SQuAD's F1. */
  @Param({"deepresearcher-f1", "squad-f1"})
  public String reward;

  private RewardFunction function;
  private final List<String> shortResponses = new ArrayList<>();
  private final List<List<String>> shortTruths = new ArrayList<>();
  private final List<String> longResponses = new ArrayList<>();
  private final List<List<String>> longTruths = new ArrayList<>();
  private int i;

  @Setup
  public void setUp() throws IOException {
    function = Rewards.create(RewardName.fromConfigName(reward));
    JsonNode cases;
    try (InputStream in =
        RewardBenchmark.class.getResourceAsStream("/reference/reward_cases.json")) {
      cases = new ObjectMapper().readTree(in).get("cases");
    }
    for (JsonNode c : cases) {
      shortResponses.add(c.get("response").asText());
      shortTruths.add(QaExample.splitAnswers(c.get("ground_truth").asText()));
    }
    SplittableRandom random = new SplittableRandom(1);
    for (int k = 0; k < 64; k++) {
      int pick = random.nextInt(shortResponses.size());
      longResponses.add(trajectory(cases.get(pick), random));
      longTruths.add(shortTruths.get(pick));
    }
  }

  /** About 20 KB: three search turns with tool responses, then the case's answer. */
  static String trajectory(JsonNode c, SplittableRandom random) {
    StringBuilder sb = new StringBuilder(21_000);
    String question = c.get("question").asText();
    for (int turn = 0; sb.length() < 19_000; turn++) {
      sb.append("<think>I need to look up ")
          .append(question)
          .append("</think>\n<tool_call>\n")
          .append("{\"name\": \"web_search\", \"arguments\": {\"query\": [\"")
          .append(question.replace("\"", "'"))
          .append("\"]}}\n</tool_call><|im_end|>\n<|im_start|>user\n<tool_response>\n");
      for (int hit = 0; hit < 10; hit++) {
        sb.append("{\"title\": \"Result ")
            .append(turn)
            .append('.')
            .append(hit)
            .append("\", \"url\": \"https://example.org/")
            .append(random.nextInt(1_000_000))
            .append("\", \"snippet\": \"The ")
            .append(question.length() % 7 == 0 ? "Kelvin" : "city")
            .append(
                " was founded long ago; historians disagree about the details of its early years.\"}\n");
      }
      sb.append("</tool_response><|im_end|>\n<|im_start|>assistant\n");
    }
    return sb.append(c.get("response").asText()).toString();
  }

  @Benchmark
  public double shortAnswer() {
    int k = i++ % shortResponses.size();
    return function.score(shortResponses.get(k), shortTruths.get(k));
  }

  @Benchmark
  public double trajectory20kb() {
    int k = i++ % longResponses.size();
    return function.score(longResponses.get(k), longTruths.get(k));
  }
}
