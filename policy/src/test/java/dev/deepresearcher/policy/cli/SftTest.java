package dev.deepresearcher.policy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.config.PolicyDevice;
import dev.deepresearcher.core.testing.RunCli;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.policy.Sampling;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/sft on the tiny model and a copy task: the loss falls and every output loads. */
class SftTest {
  @TempDir Path out;

  static String resource(String name) {
    try {
      return Path.of(SftTest.class.getResource(name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void loraSftOnACopyTaskLearnsAndWritesAdapterModelCheckpointsAndMetrics() throws IOException {
    RunCli.Result r =
        RunCli.run(
            new Sft(),
            "data=" + resource("/sft/copy_task.jsonl"),
            "model=" + resource("/qwen2/qwen2_tiny_e2e_tied_v1024/model"),
            "out=" + out,
            "policy.device=cpu",
            "policy.training.lora.rank=8",
            "policy.training.lora.alpha=16",
            "policy.training.optimizer.lr=1e-2",
            "policy.training.micro_batch_size=8",
            "sft.epochs=30",
            "sft.batch_size=8",
            "sft.save_every=20",
            "sft.log_every=30");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("SFT of"), r.err());
    List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
    assertEquals(90, lines.size(), "3 steps per epoch, 30 epochs");
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    double lastEpoch = 0;
    for (String line : lines.subList(87, 90)) {
      lastEpoch += json.readTree(line).get("loss").asDouble() / 3;
    }
    assertTrue(
        lastEpoch < 0.5 * first.get("loss").asDouble(),
        "loss " + first.get("loss") + " -> " + lastEpoch);
    for (String f :
        List.of(
            "checkpoint-20/trainer_state.json",
            "checkpoint-90/policy/adapter_model.safetensors",
            "adapter/adapter_config.json",
            "model/model.safetensors",
            "model/tokenizer.json")) {
      assertTrue(Files.exists(out.resolve(f)), f);
    }
    try (Policy merged = Policy.load(out.resolve("model"), PolicyDevice.CPU, 0)) {
      assertTrue(merged.generate(new int[] {1, 2, 3}, Sampling.greedy(4)).tokens().length > 0);
    }
  }

  @Test
  void missingDataOrModelIsNamedWithTheOption() {
    RunCli.Result r = RunCli.run(new Sft(), "model=/nowhere");
    assertEquals(1, r.exitCode());
    assertTrue(
        r.err().contains("sft.data is not set; give the conversations with --data"), r.err());
    r = RunCli.run(new Sft(), "--data", resource("/sft/copy_task.jsonl"));
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("policy.model is not set"), r.err());
  }

  @Test
  void shortFormsExpandToTheirKeys() {
    assertEquals("sft.data=x.jsonl", Sft.expand("data=x.jsonl"));
    assertEquals("policy.model=m", Sft.expand("model=m"));
    assertEquals("sft.out=o", Sft.expand("out=o"));
    assertEquals("data.train_files=[a]", Sft.expand("data.train_files=[a]"));
  }
}
