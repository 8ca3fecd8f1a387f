package dev.deepresearcher.rollout;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.data.QaExample;
import dev.deepresearcher.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes rollout files, atomically: our JSON lines (one trajectory per line, read by {@code
 * calculate-metrics} and by people) or DeepResearcher's {@code *_result.json} (a JSON list of
 * {@code {idx, question, message_str}}, which its own metrics script reads).
 *
 * <pre>{@code
 * RolloutWriter.jsonl(Path.of("runs/x/rollouts.jsonl"), result.trajectories(), scores);
 * RolloutWriter.deepResearcher(Path.of("runs/x/deepresearcher_result.json"), result.trajectories());
 * }</pre>
 */
public final class RolloutWriter {
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private RolloutWriter() {}

  /**
   * One JSON object per trajectory: {@code id} (the question's), {@code sample}, {@code
   * data_source}, {@code question}, {@code ground_truth}, {@code response} (the whole
   * conversation), {@code answer}, {@code end}, the turns with their tool calls and responses,
   * token counts, the weights version and, when given, the scores.
   *
   * @param scores one per trajectory, or {@code null}
   */
  public static void jsonl(Path file, List<Trajectory> trajectories, List<RewardActor.Score> scores)
      throws IOException {
    if (scores != null && scores.size() != trajectories.size()) {
      throw new IllegalArgumentException(
          scores.size() + " scores for " + trajectories.size() + " trajectories");
    }
    AtomicFiles.write(
        file,
        out -> {
          for (int i = 0; i < trajectories.size(); i++) {
            Trajectory t = trajectories.get(i);
            var line = JSON.createObjectNode();
            line.put("id", t.groupId());
            line.put("sample", t.sample());
            line.put("data_source", t.prompt().dataSource());
            line.put("question", t.prompt().question());
            line.put(
                "ground_truth", String.join(QaExample.ANSWER_SEPARATOR, t.prompt().groundTruths()));
            line.put("response", t.text());
            line.put("answer", t.answer());
            line.put("end", t.end().jsonName());
            if (scores != null) {
              line.put("reward", scores.get(i).reward());
              line.put("f1", scores.get(i).f1());
              line.put("em", scores.get(i).em());
            }
            line.put("tokens", t.ids().length);
            line.put("sampled_tokens", t.sampledTokens());
            line.put("weights_version", t.weightsVersion());
            var turns = line.putArray("turns");
            for (Turn turn : t.turns()) {
              var o = turns.addObject();
              o.put("text", turn.text());
              if (turn.call() != null) {
                o.put("tool", turn.call().tool());
                turn.call().arguments().forEach(o.putArray("arguments")::add);
              }
              o.put("tool_response", turn.toolResponse());
              o.put("error", turn.error());
              o.put("sampled_tokens", turn.sampledTokens());
              o.put("generate_ms", turn.generateMillis());
              o.put("tool_ms", turn.toolMillis());
            }
            JSON.writeValue(out, line);
            out.write('\n');
          }
        });
  }

  /**
   * DeepResearcher's format: a JSON list of {@code {idx, question, message_str}}, {@code idx}
   * counting from 0. Its metrics script pairs it with the data by position, so write one trajectory
   * per question, in the data's order.
   */
  public static void deepResearcher(Path file, List<Trajectory> trajectories) throws IOException {
    AtomicFiles.write(
        file,
        out -> {
          var list = JSON.createArrayNode();
          for (int i = 0; i < trajectories.size(); i++) {
            Trajectory t = trajectories.get(i);
            var o = list.addObject();
            o.put("idx", i);
            o.put("question", t.prompt().question());
            o.put("message_str", t.text());
          }
          JSON.writerWithDefaultPrettyPrinter().writeValue(out, list);
        });
  }
}
