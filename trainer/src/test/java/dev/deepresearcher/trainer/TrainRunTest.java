package dev.deepresearcher.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.config.PolicyDevice;
import dev.deepresearcher.core.testing.ChildJvm;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.trainer.internal.RunFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole GRPO runs on a small synthetic world with a very small policy, in this process. */
class TrainRunTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static TinyWorld world;

  @BeforeAll
  static void create() throws IOException {
    world = TinyWorld.create(dir.resolve("world"));
  }

  static PrintStream sink() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  @Test
  void aRunValidatesCheckpointsPlotsAndExportsAModel() throws IOException {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainRun.Summary s =
        TrainRun.run(
            world.config(
                "trainer.run_name=full",
                "trainer.total_steps=2",
                "trainer.val_every=1",
                "trainer.save_every=1",
                "trainer.plots=true"),
            Map.of(),
            new PrintStream(log, true, StandardCharsets.UTF_8));
    assertEquals(2, s.steps());
    Path run = s.runDir();
    List<JsonNode> lines = RunFiles.metrics(run);
    assertEquals(
        List.of("validation", "train", "validation", "train", "validation"),
        lines.stream().map(l -> l.path("kind").asText()).toList());
    JsonNode step = lines.get(1);
    for (String key :
        List.of(
            "reward_mean",
            "reward_std",
            "f1",
            "end_format_error",
            "turns",
            "tool_calls",
            "response_tokens",
            "kl_loss",
            "clip_fraction",
            "entropy",
            "grad_norm",
            "generate_s",
            "tools_wait_s",
            "reward_s",
            "update_s")) {
      assertTrue(step.has(key), "metrics.jsonl has " + key + ": " + step);
    }
    assertTrue(lines.get(2).path("f1_by_source").has("world-birthplace"), lines.get(2).toString());
    assertTrue(Files.size(run.resolve("reward.png")) > 1000);
    assertTrue(Files.size(run.resolve("f1.png")) > 1000);
    assertTrue(Files.exists(run.resolve("checkpoint-1").resolve(RunFiles.STATE)));
    assertTrue(Files.exists(run.resolve("validation/step-2.jsonl")));
    String text = log.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("] 2/2 reward"), text);
    try (Policy p = Policy.load(s.model(), PolicyDevice.CPU, 1)) {
      assertTrue(
          p.generate(new int[] {1, 2, 3}, dev.deepresearcher.policy.Sampling.greedy(3))
                  .tokens()
                  .length
              > 0,
          "the exported model loads and generates");
    }
  }

  @Test
  void fourStepsStraightEqualTwoStepsAKillMinusNineAndTwoResumedSteps() throws Exception {
    TrainRun.Summary straight =
        TrainRun.run(
            world.config(
                "trainer.run_name=straight", "trainer.total_steps=4", "trainer.save_every=2"),
            Map.of(),
            sink());

    // A child process trains the same run; it is killed (SIGKILL) as soon as checkpoint-2 is
    // whole, while it works on step 3. (No pause before the kill: a tiny step takes well under a
    // second, and a pause let the child finish step 4 on a fast machine.)
    List<String> overrides =
        world.overrides("trainer.run_name=killed", "trainer.total_steps=4", "trainer.save_every=2");
    Path run = dir.resolve("world/runs/killed");
    Process child = child(overrides);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      while (!Files.exists(run.resolve("checkpoint-2").resolve(RunFiles.STATE))) {
        assertTrue(child.isAlive(), "the child ended before checkpoint-2: " + childLog());
        assertTrue(System.nanoTime() < deadline, "no checkpoint-2 within 5 minutes");
        Thread.sleep(5);
      }
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
    assertTrue(
        !Files.exists(run.resolve("checkpoint-4")), "the child was killed before it finished");
    List<String> resume = new ArrayList<>(overrides);
    resume.add("trainer.resume=true");
    TrainRun.Summary resumed =
        TrainRun.run(
            dev.deepresearcher.core.config.ConfigLoader.load(null, resume), Map.of(), sink());
    assertEquals(4, resumed.steps());

    float[] a = floats(straight.model().resolve("model.safetensors"));
    float[] b = floats(resumed.model().resolve("model.safetensors"));
    assertEquals(a.length, b.length);
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    assertTrue(worst < 1e-5, "weights differ by up to " + worst);
    JsonNode s1 =
        JSON.readTree(straight.runDir().resolve("checkpoint-4/" + RunFiles.STATE).toFile());
    JsonNode s2 = JSON.readTree(run.resolve("checkpoint-4/" + RunFiles.STATE).toFile());
    assertEquals(s1.get("epoch"), s2.get("epoch"), "the same next batch");
    assertEquals(s1.get("offset"), s2.get("offset"), "the same next batch");
    List<JsonNode> m1 = RunFiles.metrics(straight.runDir());
    List<JsonNode> m2 = RunFiles.metrics(run);
    assertEquals(4, m2.size(), "a resumed run drops the killed step's lines and rewrites them");
    for (int i = 0; i < 4; i++) {
      assertEquals(m1.get(i).get("reward_mean"), m2.get(i).get("reward_mean"), "step " + (i + 1));
    }
  }

  @Test
  void settingsThatCannotTrainAreRefusedWithTheFix() throws IOException {
    TrainerException hot =
        assertThrows(
            TrainerException.class,
            () -> TrainRun.run(world.config("rollout.temperature=0.7"), Map.of(), sink()));
    assertTrue(hot.getMessage().contains("rollout.temperature=1.0"), hot.getMessage());
    TrainerException noData =
        assertThrows(
            TrainerException.class,
            () -> TrainRun.run(world.config("data.train_files=[]"), Map.of(), sink()));
    assertTrue(noData.getMessage().contains("data.train_files"), noData.getMessage());
    TrainRun.run(world.config("trainer.run_name=twice", "trainer.total_steps=1"), Map.of(), sink());
    TrainerException again =
        assertThrows(
            TrainerException.class,
            () ->
                TrainRun.run(
                    world.config("trainer.run_name=twice", "trainer.total_steps=1"),
                    Map.of(),
                    sink()));
    assertTrue(again.getMessage().contains("trainer.resume=true"), again.getMessage());
  }

  private Process child(List<String> overrides) throws IOException {
    return ChildJvm.start(
        dev.deepresearcher.trainer.cli.TrainGrpo.class, overrides, dir.resolve("child.log"));
  }

  private static String childLog() throws IOException {
    return Files.readString(dir.resolve("child.log"));
  }

  /** Every float of a safetensors file, tensors in name order. */
  static float[] floats(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = (int) buf.getLong(0);
    JsonNode header = JSON.readTree(new String(bytes, 8, headerLength, StandardCharsets.UTF_8));
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
      String n = it.next();
      if (!n.equals("__metadata__")) {
        names.add(n);
      }
    }
    names.sort(null);
    List<Float> out = new ArrayList<>();
    for (String n : names) {
      JsonNode offsets = header.get(n).get("data_offsets");
      int from = 8 + headerLength + offsets.get(0).asInt();
      int to = 8 + headerLength + offsets.get(1).asInt();
      for (int i = from; i < to; i += 4) {
        out.add(buf.getFloat(i));
      }
    }
    float[] f = new float[out.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = out.get(i);
    }
    return f;
  }
}
