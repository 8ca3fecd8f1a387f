package dev.deepresearcher.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.config.PolicyDevice;
import dev.deepresearcher.policy.internal.GradMode;
import dev.deepresearcher.policy.internal.LoraAdapters;
import dev.deepresearcher.policy.internal.Qwen2Net;
import dev.deepresearcher.policy.internal.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA adapters: neutral at start, PEFT's layout and numbers both ways, merging, refusals. */
class LoraTest {
  static final GoldenFixture E2E =
      GoldenFixture.load(GoldenFixture.resource("qwen2_tiny_e2e_tied_v1024"));
  static final Path PEFT_ADAPTER = training("peft_adapter");

  @TempDir Path tmp;

  static Path training(String name) {
    return GoldenFixture.resource("tokenizer").getParent().getParent().resolve("training/" + name);
  }

  /** Logits of the golden batch, {@code [2, T, V]}, flattened. */
  static float[] logits(Qwen2Net net, Qwen2Net.Mode mode) {
    GradMode.off();
    try (NDManager m = net.manager().newSubManager()) {
      return net.forward(
              m,
              E2E.longs2d("input_ids"),
              E2E.longs2d("position_ids"),
              E2E.mask(),
              null,
              false,
              false,
              mode)
          .logits()
          .toFloatArray();
    }
  }

  static double maxDiff(float[] a, float[] b) {
    return Qwen2GoldenTest.maxDiffWhereMasked(a, b, E2E.mask(), 1024);
  }

  @Test
  void newAdaptersLeaveTheModelExactlyUnchanged() {
    try (Policy policy = Policy.load(E2E.model(), PolicyDevice.CPU, 0)) {
      float[] before = logits(policy.net(), Qwen2Net.Mode.INFERENCE);
      try (PolicyTrainer trainer =
          PolicyTrainer.create(policy, TrainingFixtures.lora(1e-3, 4, 8, 4), 7)) {
        assertArrayEquals(before, logits(policy.net(), Qwen2Net.Mode.INFERENCE), 0f);
        assertArrayEquals(before, logits(policy.net(), Qwen2Net.Mode.TRAINING), 0f);
      }
    }
  }

  @Test
  void adapterMadeByPeftGivesPeftsLogitsAndMergesToTheSame() {
    float[] want;
    float[] wantMerged;
    try (Safetensors st = Safetensors.open(training("peft_logits.safetensors"))) {
      want = st.floatArray("logits");
      wantMerged = st.floatArray("merged_logits");
    }
    try (Policy policy = Policy.load(E2E.model(), PolicyDevice.CPU, 0)) {
      Qwen2Net net = policy.net();
      float[] base = logits(net, Qwen2Net.Mode.INFERENCE);
      net.setAdapters(LoraAdapters.load(PEFT_ADAPTER, policy.config(), net.manager().getDevice()));
      float[] adapted = logits(net, Qwen2Net.Mode.INFERENCE);
      double diff = maxDiff(adapted, want);
      System.out.printf(Locale.ROOT, "PEFT adapter: max |logit diff| %.2e%n", diff);
      assertTrue(diff <= 1e-4, "logits with PEFT's adapter differ by " + diff);
      assertTrue(maxDiff(base, want) > 0.01, "the adapter changes the model");
      assertArrayEquals(base, logits(net, Qwen2Net.Mode.BASE), 0f, "BASE switches it off");

      try (Qwen2Net merged =
          Qwen2Net.load(E2E.model(), policy.config(), net.manager().getDevice())) {
        net.adapters().mergeInto(merged);
        float[] mergedLogits = logits(merged, Qwen2Net.Mode.INFERENCE);
        assertTrue(maxDiff(mergedLogits, adapted) <= 1e-5, "merged = unmerged");
        assertTrue(maxDiff(mergedLogits, wantMerged) <= 1e-4, "merged = PEFT's merge_and_unload");
      }
    }
  }

  @Test
  void savedAdapterLoadsBackToIdenticalLogitsInPeftsLayout() throws IOException {
    try (Policy policy = Policy.load(E2E.model(), PolicyDevice.CPU, 0)) {
      Qwen2Net net = policy.net();
      List<TrainingSequence> batch = copyTask(policy, 4);
      float[] trained;
      try (PolicyTrainer trainer =
          PolicyTrainer.create(policy, TrainingFixtures.lora(1e-2, 4, 8, 4), 3)) {
        for (int i = 0; i < 3; i++) {
          trainer.step(batch, TrainingFixtures.MEAN_NLL);
        }
        trained = logits(net, Qwen2Net.Mode.INFERENCE);
        net.adapters().save(tmp, "base");
        String export = System.getenv("DR_LORA_EXPORT");
        if (export != null) { // for tools/reference/training_reference.py check-adapter
          net.adapters().save(Files.createDirectories(Path.of(export)), "base");
          writeJavaLogits(Path.of(export).resolve("java_logits.json"), trained);
        }
      }
      assertFalse(
          Arrays.equals(trained, logits(net, Qwen2Net.Mode.INFERENCE)),
          "closing the trainer removed the adapters");
      net.setAdapters(LoraAdapters.load(tmp, policy.config(), net.manager().getDevice()));
      assertArrayEquals(trained, logits(net, Qwen2Net.Mode.INFERENCE), 0f);
    }
    JsonNode config = new ObjectMapper().readTree(tmp.resolve("adapter_config.json").toFile());
    assertEquals("LORA", config.get("peft_type").asText());
    assertEquals(4, config.get("r").asInt());
    assertEquals(8.0, config.get("lora_alpha").asDouble());
    assertEquals("CAUSAL_LM", config.get("task_type").asText());
    try (Safetensors st = Safetensors.open(tmp.resolve("adapter_model.safetensors"))) {
      assertTrue(
          st.entries().containsKey("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight"),
          st.entries().keySet().toString());
      // Same keys and shapes as the adapter PEFT wrote.
      try (Safetensors peft = Safetensors.open(PEFT_ADAPTER.resolve("adapter_model.safetensors"))) {
        assertEquals(peft.entries().keySet(), st.entries().keySet());
      }
    }
  }

  private static void writeJavaLogits(Path file, float[] flat) throws IOException {
    int b = 2;
    int v = 1024;
    int t = flat.length / b / v;
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < b; i++) {
      sb.append(i == 0 ? "[" : ",[");
      for (int j = 0; j < t; j++) {
        sb.append(j == 0 ? "[" : ",[");
        for (int k = 0; k < v; k++) {
          sb.append(k == 0 ? "" : ",").append(flat[(i * t + j) * v + k]);
        }
        sb.append(']');
      }
      sb.append(']');
    }
    Files.writeString(file, sb.append(']').toString());
  }

  /** Sequences "key: K\nanswer: K" whose loss covers the answer: copying a key from the prompt. */
  static List<TrainingSequence> copyTask(Policy policy, int n) {
    List<TrainingSequence> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String key = Integer.toString(100 + 37 * i);
      int[] prompt = policy.tokenizer().encode("key: " + key + "\nanswer:");
      int[] answer = policy.tokenizer().encode(" " + key + "<|im_end|>");
      out.add(TrainingSequence.of(prompt, answer));
    }
    return out;
  }

  @Test
  void adapterOfAnotherShapeIsRefusedWithTheReason() throws IOException {
    Path other = Files.createDirectories(tmp.resolve("other"));
    Files.copy(
        PEFT_ADAPTER.resolve("adapter_model.safetensors"),
        other.resolve("adapter_model.safetensors"));
    String config = Files.readString(PEFT_ADAPTER.resolve("adapter_config.json"));
    Files.writeString(other.resolve("adapter_config.json"), config.replace("\"r\": 4", "\"r\": 8"));
    try (Policy policy = Policy.load(E2E.model(), PolicyDevice.CPU, 0)) {
      PolicyException e =
          assertThrows(
              PolicyException.class,
              () -> LoraAdapters.load(other, policy.config(), policy.net().manager().getDevice()));
      assertTrue(e.getMessage().contains("belongs to another model"), e.getMessage());
      Files.writeString(
          other.resolve("adapter_config.json"),
          config.replace("\"use_dora\": false", "\"use_dora\": true"));
      e =
          assertThrows(
              PolicyException.class,
              () -> LoraAdapters.load(other, policy.config(), policy.net().manager().getDevice()));
      assertTrue(e.getMessage().contains("DoRA"), e.getMessage());
      e =
          assertThrows(
              PolicyException.class,
              () -> LoraAdapters.load(tmp, policy.config(), policy.net().manager().getDevice()));
      assertTrue(e.getMessage().contains("holds no PEFT adapter"), e.getMessage());
    }
  }
}
