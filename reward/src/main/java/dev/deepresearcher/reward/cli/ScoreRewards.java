package dev.deepresearcher.reward.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepresearcher.core.cli.Cli;
import dev.deepresearcher.core.data.QaExample;
import dev.deepresearcher.core.io.AtomicFiles;
import dev.deepresearcher.reward.RewardException;
import dev.deepresearcher.reward.RewardFunction;
import dev.deepresearcher.reward.Rewards;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/score-rewards}: scores JSON lines holding {@code response} and {@code
 * ground_truth} with a reward function and writes each line back with {@code score} added. For
 * debugging reward design: run it on rollouts and look at what each response earned.
 */
@Command(
    name = "score-rewards",
    mixinStandardHelpOptions = true,
    description = {
      "Scores JSON lines holding 'response' and 'ground_truth' (answers joined by <|answer_split|>,"
          + " or a list) and writes each line back with 'score' added.",
      "Example: scripts/score-rewards --in cases.jsonl --reward deepresearcher-f1 --out scored.jsonl"
    })
public final class ScoreRewards implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--in",
      required = true,
      paramLabel = "FILE",
      description = "JSON lines to score.")
  Path in;

  @Option(
      names = "--reward",
      required = true,
      paramLabel = "NAME",
      description = "deepresearcher-f1, deepresearcher-em, squad-f1 or squad-em.")
  String reward;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Where to write (atomically); standard output when absent.")
  Path out;

  public static void main(String[] args) {
    System.exit(Cli.run(new ScoreRewards(), args));
  }

  @Override
  public Integer call() throws IOException {
    RewardFunction function = Rewards.byName(reward);
    // Score everything before writing anything: a bad line fails the run and loses no output file.
    List<String> scored = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8)) {
      String line;
      long number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        scored.add(scoreLine(function, line, number));
      }
    }
    if (out == null) {
      Writer w = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
      writeLines(w, scored);
      w.flush();
    } else {
      AtomicFiles.write(
          out,
          (OutputStream stream) -> {
            Writer w = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
            writeLines(w, scored);
            w.flush();
          });
      System.err.println(
          "scored " + scored.size() + " lines with " + function.name() + " → " + out);
    }
    return 0;
  }

  private static void writeLines(Writer w, List<String> lines) throws IOException {
    for (String s : lines) {
      w.write(s);
      w.write('\n');
    }
  }

  private String scoreLine(RewardFunction function, String line, long number) {
    String where = in + ":" + number;
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new RewardException(where + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
    }
    if (!(node instanceof ObjectNode object)) {
      throw new RewardException(where + ": each line must be a JSON object");
    }
    JsonNode response = object.get("response");
    if (response == null || !response.isTextual()) {
      throw new RewardException(where + ": needs a string field 'response'");
    }
    List<String> truths;
    try {
      truths = QaExample.answersOf(object.get("ground_truth"));
    } catch (IllegalArgumentException e) {
      throw new RewardException(where + ": " + e.getMessage(), e);
    }
    object.put("score", function.score(response.asText(), truths));
    return object.toString();
  }
}
