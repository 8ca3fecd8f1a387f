package dev.deepresearcher.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepresearcher.policy.internal.Qwen2Net;
import dev.deepresearcher.policy.internal.Safetensors;
import dev.deepresearcher.policy.internal.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint layouts a real model folder may have: shards, a shard over 2 GiB, BF16 and F16. */
class CheckpointLoadingTest {
  static final GoldenFixture UNTIED =
      GoldenFixture.load(GoldenFixture.resource("qwen2_tiny_untied"));

  /** The fixture's tensor entries (shapes), set by {@link #weights()}. */
  static Map<String, Safetensors.Entry> entries;

  /** The fixture's float32 weights by name, in file order. */
  static Map<String, float[]> weights() {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (Safetensors st = Safetensors.open(UNTIED.model().resolve("model.safetensors"))) {
      entries = st.entries();
      st.entries().keySet().forEach(name -> out.put(name, st.floatArray(name)));
    }
    return out;
  }

  static float[] logits(Path modelDir) {
    ModelConfig config = ModelConfig.load(modelDir);
    try (Qwen2Net net = Qwen2Net.load(modelDir, config, Device.cpu());
        NDManager m = net.manager().newSubManager()) {
      return net.forward(
              m,
              UNTIED.longs2d("input_ids"),
              UNTIED.longs2d("position_ids"),
              UNTIED.mask(),
              null,
              false,
              false)
          .logits()
          .toFloatArray();
    }
  }

  static void copyConfig(Path to) throws IOException {
    Files.copy(UNTIED.model().resolve("config.json"), to.resolve("config.json"));
  }

  @Test
  void shardedCheckpointWithAShardOver2GiBLoadsLikeTheSingleFile(@TempDir Path dir)
      throws IOException {
    copyConfig(dir);
    Map<String, float[]> w = weights();
    String[] shard = {
      "model-00001-of-00003.safetensors",
      "model-00002-of-00003.safetensors",
      "model-00003-of-00003.safetensors"
    };
    SafetensorsWriter[] writers = {
      new SafetensorsWriter(), new SafetensorsWriter(), new SafetensorsWriter()
    };
    // The third shard starts with 2 GiB + 4 KiB that no weight uses, so its weights lie past
    // 2^31 bytes into the file, where int offsets (DJL's NDList.decode) break.
    long hole = (1L << 31) + 4096;
    writers[2].add("unused.padding", SafetensorsFiles.hole(hole));
    ObjectNode index = new ObjectMapper().createObjectNode();
    index.putObject("metadata").put("total_size", 0);
    ObjectNode map = index.putObject("weight_map");
    for (Map.Entry<String, float[]> e : w.entrySet()) {
      String name = e.getKey();
      int s =
          name.startsWith("model.layers.0.") || name.startsWith("model.embed")
              ? 0
              : name.startsWith("model.layers.1.") ? 1 : 2;
      writers[s].add(
          name, SafetensorsWriter.floats("F32", entries.get(name).shape(), e.getValue()));
      map.put(name, shard[s]);
    }
    for (int s = 0; s < 3; s++) {
      writers[s].write(dir.resolve(shard[s]));
    }
    Files.writeString(dir.resolve("model.safetensors.index.json"), index.toString());
    assertTrue(Files.size(dir.resolve(shard[2])) > hole, "the third shard is over 2 GiB");
    try (Safetensors st = Safetensors.open(dir.resolve(shard[2]))) {
      assertTrue(st.entries().get("lm_head.weight").offset() > Integer.MAX_VALUE);
    }

    float[] got = logits(dir);
    assertArrayEquals(logits(UNTIED.model()), got, 0f, "the same weights give the same logits");
    double diff =
        Qwen2GoldenTest.maxDiffWhereMasked(
            got, UNTIED.floats("logits"), UNTIED.mask(), ModelConfig.load(dir).vocabSize());
    assertTrue(diff <= Qwen2GoldenTest.TOLERANCE, "logits differ from transformers by " + diff);
  }

  @Test
  void bf16AndF16WeightsAreWidenedExactly(@TempDir Path dir) throws IOException {
    Map<String, float[]> w = weights();
    for (String dtype : new String[] {"BF16", "F16"}) {
      Path narrow = Files.createDirectory(dir.resolve(dtype));
      Path wide = Files.createDirectory(dir.resolve(dtype + "-as-F32"));
      copyConfig(narrow);
      copyConfig(wide);
      SafetensorsWriter n = new SafetensorsWriter();
      SafetensorsWriter f = new SafetensorsWriter();
      for (Map.Entry<String, float[]> e : w.entrySet()) {
        float[] rounded = e.getValue().clone();
        for (int i = 0; i < rounded.length; i++) {
          rounded[i] =
              dtype.equals("F16")
                  ? Float.float16ToFloat(Float.floatToFloat16(rounded[i]))
                  : Float.intBitsToFloat(Float.floatToRawIntBits(rounded[i]) & 0xFFFF0000);
        }
        long[] shape = entries.get(e.getKey()).shape();
        n.add(e.getKey(), SafetensorsWriter.floats(dtype, shape, rounded));
        f.add(e.getKey(), SafetensorsWriter.floats("F32", shape, rounded));
      }
      n.write(narrow.resolve("model.safetensors"));
      f.write(wide.resolve("model.safetensors"));
      assertArrayEquals(logits(wide), logits(narrow), 0f, dtype);
    }
  }

  @Test
  void missingShardIsNamedWithTheLikelyCause(@TempDir Path dir) throws IOException {
    copyConfig(dir);
    Files.writeString(
        dir.resolve("model.safetensors.index.json"),
        "{\"weight_map\": {\"model.norm.weight\": \"model-00002-of-00002.safetensors\"}}");
    PolicyException e = assertThrows(PolicyException.class, () -> logits(dir));
    assertTrue(e.getMessage().contains("model-00002-of-00002.safetensors"), e.getMessage());
    assertTrue(e.getMessage().contains("incomplete download"), e.getMessage());
  }

  @Test
  void truncatedWeightsAreRefused(@TempDir Path dir) throws IOException {
    copyConfig(dir);
    byte[] full = Files.readAllBytes(UNTIED.model().resolve("model.safetensors"));
    Files.write(dir.resolve("model.safetensors"), Arrays.copyOf(full, full.length / 2));
    PolicyException e = assertThrows(PolicyException.class, () -> logits(dir));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void weightOfTheWrongShapeNamesBothShapes(@TempDir Path dir) throws IOException {
    copyConfig(dir);
    Map<String, float[]> w = weights();
    SafetensorsWriter writer = new SafetensorsWriter();
    for (Map.Entry<String, float[]> e : w.entrySet()) {
      long[] shape = entries.get(e.getKey()).shape();
      if (e.getKey().equals("model.norm.weight")) {
        writer.add(
            e.getKey(),
            SafetensorsWriter.floats("F32", new long[] {shape[0] / 2, 2}, e.getValue()));
      } else {
        writer.add(e.getKey(), SafetensorsWriter.floats("F32", shape, e.getValue()));
      }
    }
    writer.write(dir.resolve("model.safetensors"));
    PolicyException e = assertThrows(PolicyException.class, () -> logits(dir));
    assertEquals(
        "model.norm.weight has shape [32, 2] but config.json implies [64]", e.getMessage());
  }
}
