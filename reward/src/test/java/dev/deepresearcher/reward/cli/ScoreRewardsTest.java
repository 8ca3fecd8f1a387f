package dev.deepresearcher.reward.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.testing.RunCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreRewardsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private RunCli.Result run(String... args) {
    return RunCli.run(new ScoreRewards(), args);
  }

  @Test
  void eachLineComesBackWithItsScoreAndEveryOtherField() throws IOException {
    Path in = dir.resolve("cases.jsonl");
    Files.write(
        in,
        List.of(
            "{\"id\":7,\"response\":\"<think>x</think><answer>Paris</answer>\","
                + "\"ground_truth\":\"London<|answer_split|>Paris\"}",
            "",
            "{\"response\":\"<answer>New York\",\"ground_truth\":[\"New York\"],\"score\":5}"));
    Path out = dir.resolve("scored.jsonl");
    RunCli.Result r =
        run("--in", in.toString(), "--reward", "deepresearcher-f1", "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = Files.readAllLines(out);
    assertEquals(2, lines.size());
    JsonNode first = JSON.readTree(lines.get(0));
    assertEquals(7, first.get("id").asInt());
    assertEquals(1.0, first.get("score").asDouble());
    assertEquals(
        -1.0, JSON.readTree(lines.get(1)).get("score").asDouble(), "the old score is replaced");
  }

  @Test
  void withoutOutTheLinesGoToStandardOutput() throws IOException {
    Path in = dir.resolve("cases.jsonl");
    Files.write(
        in, List.of("{\"response\":\"<answer>the cat</answer>\",\"ground_truth\":\"cat\"}"));
    RunCli.Result r = run("--in", in.toString(), "--reward", "squad-em");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(
        "{\"response\":\"<answer>the cat</answer>\",\"ground_truth\":\"cat\",\"score\":1.0}\n",
        r.out());
  }

  @Test
  void aBadLineFailsTheRunAndWritesNothing() throws IOException {
    Path in = dir.resolve("cases.jsonl");
    Files.write(
        in, List.of("{\"response\":\"<answer>a</answer>\",\"ground_truth\":\"a\"}", "{oops"));
    Path out = dir.resolve("scored.jsonl");
    RunCli.Result r = run("--in", in.toString(), "--reward", "squad-f1", "--out", out.toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.err().startsWith("error: " + in + ":2: not valid JSON"), r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void anUnknownRewardListsTheChoices() throws IOException {
    Path in = dir.resolve("cases.jsonl");
    Files.writeString(in, "");
    RunCli.Result r = run("--in", in.toString(), "--reward", "bleu");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("choose one of [deepresearcher-f1"), r.err());
  }

  @Test
  void aMissingGroundTruthIsNamed() throws IOException {
    Path in = dir.resolve("cases.jsonl");
    Files.write(in, List.of("{\"response\":\"<answer>a</answer>\"}"));
    RunCli.Result r = run("--in", in.toString(), "--reward", "squad-em");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains(in + ":1: ground_truth must be a string"), r.err());
    assertTrue(r.err().endsWith("got nothing\n"), r.err());
  }

  @Test
  void aMissingInputFileIsNamed() {
    RunCli.Result r = run("--in", dir.resolve("nope.jsonl").toString(), "--reward", "squad-em");
    assertEquals(1, r.exitCode());
    assertEquals("error: no such file: " + dir.resolve("nope.jsonl") + "\n", r.err());
  }
}
