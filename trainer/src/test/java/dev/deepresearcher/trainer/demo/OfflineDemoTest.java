package dev.deepresearcher.trainer.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole offline demo, shrunk to seconds: a world of 12 people, a very small policy, a few SFT
 * steps and one GRPO step, through the real handler, loop, reward and trainer.
 */
class OfflineDemoTest {
  @TempDir Path dir;

  private List<String> tiny(String... more) {
    List<String> o =
        new ArrayList<>(
            List.of(
                "demo.enabled=true",
                "demo.people=12",
                "demo.heldout_people=2",
                "demo.dev_people=2",
                "demo.demonstrations=1",
                "demo.hidden_size=32",
                "demo.layers=2",
                "demo.heads=2",
                "demo.kv_heads=1",
                "demo.intermediate_size=64",
                "demo.vocab=600",
                "demo.sft_first_turn_steps=2",
                "demo.sft_batch_size=4",
                "demo.eval_n=1",
                "run.output_dir=" + dir.resolve("runs"),
                "cache.path=" + dir.resolve("cache.db"),
                "policy.device=cpu",
                "policy.threads=1",
                "policy.training.mode=full",
                "policy.training.micro_batch_size=8",
                "rollout.n=2",
                "rollout.max_turns=4",
                "rollout.max_new_tokens=96",
                "rollout.max_total_tokens=1024",
                "rollout.search_top_k=1",
                "trainer.train_batch_size=2",
                "trainer.ppo_mini_batch_size=2",
                "trainer.total_steps=1",
                "trainer.val_every=0",
                "trainer.save_every=0",
                "trainer.plots=false"));
    o.addAll(List.of(more));
    return o;
  }

  @Test
  void aStalledSftStageStartsAgainAndTheDemoStillReportsBothPolicies() throws IOException {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    // A target that a 32-wide model cannot reach in 50 steps: every attempt stalls, until the
    // budget no longer holds two attempts and the last one runs out.
    OfflineDemo.Summary s =
        OfflineDemo.run(
            null,
            tiny(
                "demo.sft_steps=50",
                "demo.sft_max_steps=150",
                "demo.sft_restart_after=50",
                "demo.sft_copy_target=1.0"),
            Map.of(),
            new PrintStream(log, true, StandardCharsets.UTF_8),
            new PrintStream(table, true, StandardCharsets.UTF_8));
    String logText = log.toString(StandardCharsets.UTF_8);
    assertTrue(logText.contains("SFT attempt 1 stalled"), logText);
    assertTrue(logText.contains("SFT attempt 2 stalled"), logText);
    assertFalse(logText.contains("SFT attempt 3 stalled"), logText);
    assertTrue(logText.contains("warning: SFT used its 150 steps"), logText);

    JsonNode summary = new ObjectMapper().readTree(s.runDir().resolve("summary.json").toFile());
    JsonNode training = summary.get("sft").get("training");
    assertEquals(150, training.get("second_stage_steps").asInt());
    assertEquals(3, training.get("second_stage_attempts").asInt());
    assertFalse(training.get("reached_copy_target").asBoolean());
    assertTrue(training.get("copying_probe").asDouble() < 1.0);
    assertEquals(6, summary.get("heldout_n").asInt());
    for (String policy : List.of("sft", "grpo")) {
      double f1 = summary.get(policy).get("f1").asDouble();
      assertTrue(f1 >= 0 && f1 <= 1, policy + " F1 " + f1);
    }
    assertTrue(Files.exists(s.runDir().resolve("sft/model/config.json")));
    assertFalse(
        Files.exists(s.runDir().resolve("sft/first-turns")), "the restart point is cleaned up");
    String printed = table.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("GRPO - SFT: F1"), printed);
  }

  @Test
  void withoutAProbeTheSecondStageRunsItsFixedSteps() throws IOException {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    OfflineDemo.Summary s =
        OfflineDemo.run(
            null,
            tiny("demo.sft_steps=3", "demo.sft_copy_target=0"),
            Map.of(),
            new PrintStream(log, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    String logText = log.toString(StandardCharsets.UTF_8);
    assertTrue(logText.contains("SFT on whole demonstrations, step 3/3"), logText);
    assertFalse(logText.contains("copying probe"), logText);
    JsonNode training =
        new ObjectMapper()
            .readTree(s.runDir().resolve("summary.json").toFile())
            .get("sft")
            .get("training");
    assertEquals(3, training.get("second_stage_steps").asInt());
    assertEquals(1, training.get("second_stage_attempts").asInt());
    assertFalse(training.has("copying_probe"));
    assertFalse(training.has("reached_copy_target"));
  }
}
