package dev.deepresearcher.evaluate.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepresearcher.core.data.QaExample;
import dev.deepresearcher.core.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Synthetic rollouts for the evaluation demo and for the metric parity tests: for each question a
 * plausible multi-turn trajectory in Qwen2.5's chat format (search calls, tool responses, an
 * answer) whose answer copies, perturbs or misses the ground truth, or whose format is broken.
 * Deterministic for a seed. They exercise every branch of the scoring rules; they say nothing about
 * any model.
 */
public final class DemoRollouts {
  /** What kind of answer a rollout got, for the demo's explanation. */
  public enum Kind {
    CORRECT,
    PARTIAL,
    WRONG,
    FORMAT_ERROR
  }

  /**
   * One generated rollout.
   *
   * @param prompt the rendered system and user turns, up to the first assistant turn
   * @param response everything the assistant produced from there: turns, tool responses, answer
   */
  public record Rollout(String prompt, String response, Kind kind) {
    /** The whole conversation, as DeepResearcher's {@code message_str}. */
    public String messageStr() {
      return prompt + response;
    }
  }

  private static final String SYSTEM =
      "You are a research assistant. Reason inside <think></think>, search the web with"
          + " web_search and read pages with browse_webpage inside <tool_call></tool_call>, and"
          + " give the final answer inside <answer></answer>.";

  /** How often a source's questions are answered right: harder benchmarks lower. */
  private static final Map<String, Double> SKILL =
      Map.of(
          "nq",
          0.55,
          "tq",
          0.7,
          "popqa",
          0.5,
          "hotpotqa",
          0.45,
          "2wiki",
          0.4,
          "musique",
          0.25,
          "bamboogle",
          0.35);

  private static final ObjectMapper JSON = new ObjectMapper();

  private DemoRollouts() {}

  /** One rollout per question, deterministic for {@code seed}. */
  public static List<Rollout> generate(List<QaExample> data, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Rollout> out = new ArrayList<>(data.size());
    for (QaExample q : data) {
      out.add(rollout(q, data, random.split()));
    }
    return out;
  }

  private static Rollout rollout(QaExample q, List<QaExample> all, SplittableRandom r) {
    String prompt =
        "<|im_start|>system\n"
            + SYSTEM
            + "<|im_end|>\n<|im_start|>user\n"
            + q.question()
            + "<|im_end|>\n<|im_start|>assistant\n";
    StringBuilder response = new StringBuilder();
    int searches = r.nextInt(3);
    for (int s = 0; s < searches; s++) {
      String query = s == 0 ? q.question() : "more about " + q.question();
      response
          .append("<think>I should search for this.</think>\n<tool_call>\n")
          .append("{\"name\": \"web_search\", \"arguments\": {\"query\": [")
          .append(jsonString(query))
          .append("]}}\n</tool_call><|im_end|>\n<|im_start|>user\n<tool_response>\n")
          .append("[{\"title\": \"Result ")
          .append(s + 1)
          .append("\", \"url\": \"https://example.org/")
          .append(s + 1)
          .append("\", \"snippet\": \"A page that may mention the answer.\"}]\n")
          .append("</tool_response><|im_end|>\n<|im_start|>assistant\n");
    }
    double skill = SKILL.getOrDefault(q.dataSource().toLowerCase(Locale.ROOT), 0.5);
    String truth = pick(q.groundTruths(), r);
    double roll = r.nextDouble();
    Kind kind;
    String answer;
    if (roll < 0.07) {
      kind = Kind.FORMAT_ERROR;
      String broken =
          switch (r.nextInt(3)) {
            case 0 -> "<think>I know this.</think>\n<answer>" + truth; // unclosed answer
            case 1 -> "<think>I know this.\n<answer>" + truth + "</answer>"; // unclosed think
            default -> "<think>I know this.</think>\nThe answer is " + truth + "."; // no tags
          };
      return new Rollout(prompt, response + broken + "<|im_end|>", kind);
    } else if (roll < 0.07 + 0.93 * skill) {
      kind = Kind.CORRECT;
      answer = restyle(truth, r);
    } else if (r.nextBoolean()) {
      kind = Kind.PARTIAL;
      answer = perturb(truth, r);
    } else {
      kind = Kind.WRONG;
      answer = pick(all.get(r.nextInt(all.size())).groundTruths(), r);
    }
    response
        .append("<think>The sources agree.</think>\n<answer>")
        .append(answer)
        .append("</answer><|im_end|>");
    return new Rollout(prompt, response.toString(), kind);
  }

  private static String pick(List<String> options, SplittableRandom r) {
    List<String> nonBlank = options.stream().filter(s -> !s.isBlank()).toList();
    return nonBlank.get(r.nextInt(nonBlank.size()));
  }

  /** Same words, another surface: case, punctuation, spacing. */
  private static String restyle(String truth, SplittableRandom r) {
    return switch (r.nextInt(4)) {
      case 0 -> truth;
      case 1 -> truth.toUpperCase(Locale.ROOT);
      case 2 -> "  " + truth + ".";
      default -> truth.replace(" ", "  ") + "!";
    };
  }

  /** Some words kept, some dropped, some added. */
  private static String perturb(String truth, SplittableRandom r) {
    String[] words = truth.split("\\s+");
    List<String> kept = new ArrayList<>();
    for (String w : words) {
      if (words.length == 1 || r.nextDouble() < 0.6) {
        kept.add(w);
      }
    }
    if (kept.isEmpty()) {
      kept.add(words[0]);
    }
    String[] extras = {"probably", "the", "famous", "early", "city", "of"};
    int add = 1 + r.nextInt(2);
    for (int i = 0; i < add; i++) {
      kept.add(r.nextInt(kept.size() + 1), extras[r.nextInt(extras.length)]);
    }
    return String.join(" ", kept);
  }

  private static String jsonString(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes DeepResearcher's format: a JSON list of {@code {idx, question, message_str}}. */
  public static void writeDeepResearcher(Path file, List<QaExample> data, List<Rollout> rollouts)
      throws IOException {
    AtomicFiles.write(
        file,
        (OutputStream out) -> {
          try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (int i = 0; i < rollouts.size(); i++) {
              g.writeStartObject();
              g.writeNumberField("idx", i);
              g.writeStringField("question", data.get(i).question());
              g.writeStringField("message_str", rollouts.get(i).messageStr());
              g.writeEndObject();
              g.writeRaw('\n');
            }
            g.writeEndArray();
          }
        });
  }

  /** Writes our JSON lines: {@code idx, id, data_source, question, response, ground_truth}. */
  public static void writeJsonl(Path file, List<QaExample> data, List<Rollout> rollouts)
      throws IOException {
    AtomicFiles.write(
        file,
        (OutputStream out) -> {
          for (int i = 0; i < rollouts.size(); i++) {
            QaExample q = data.get(i);
            ObjectNode line = JSON.createObjectNode();
            line.put("idx", i);
            line.put("id", q.id());
            line.put("data_source", q.dataSource());
            line.put("question", q.question());
            line.put("response", rollouts.get(i).response());
            line.put("ground_truth", q.groundTruthJoined());
            out.write(JSON.writeValueAsBytes(line));
            out.write('\n');
          }
        });
  }

  /** Counts per kind, for the demo's summary. */
  public static Map<Kind, Long> kinds(List<Rollout> rollouts) {
    Map<Kind, Long> counts = new EnumMap<>(Kind.class);
    rollouts.forEach(r -> counts.merge(r.kind(), 1L, Long::sum));
    return counts;
  }
}
