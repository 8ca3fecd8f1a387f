package dev.deepresearcher.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.policy.internal.Safetensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A reference model folder: {@code model/} (a Hugging Face folder), {@code golden.json} and {@code
 * golden.safetensors} with what transformers computed (see the fixture README in
 * src/test/resources/qwen2). The three bundled ones, plus any named by {@code
 * -Dqwen2.extraFixtures=dir1,dir2}.
 */
record GoldenFixture(String name, Path dir, JsonNode json, Path tensors) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static GoldenFixture load(Path dir) {
    try {
      return new GoldenFixture(
          dir.getFileName().toString(),
          dir,
          JSON.readTree(Files.readAllBytes(dir.resolve("golden.json"))),
          dir.resolve("golden.safetensors"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read fixture " + dir, e);
    }
  }

  Path model() {
    return dir.resolve("model");
  }

  /**
   * The model folder as a policy can load it: when it has no tokenizer, a copy in {@code tmp} with
   * the shared test tokenizer added (the ids of the fixtures fit in it).
   */
  Path loadableModel(Path tmp) {
    if (Files.exists(model().resolve("tokenizer.json"))) {
      return model();
    }
    try {
      Path dir = Files.createDirectories(tmp.resolve(name));
      try (Stream<Path> files = Files.list(model())) {
        for (Path f : files.toList()) {
          Files.copy(f, dir.resolve(f.getFileName()));
        }
      }
      Files.copy(resource("tokenizer").resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path resource(String name) {
    try {
      return Path.of(GoldenFixture.class.getResource("/qwen2/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<GoldenFixture> all() {
    List<GoldenFixture> all = new ArrayList<>();
    for (String name :
        List.of("qwen2_tiny_untied", "qwen2_tiny_tied", "qwen2_tiny_e2e_tied_v1024")) {
      all.add(load(resource(name)));
    }
    String extra = System.getProperty("qwen2.extraFixtures", "");
    for (String dir : extra.split(",")) {
      if (!dir.isBlank()) {
        all.add(load(Path.of(dir.strip())));
      }
    }
    return all;
  }

  long[][] longs2d(String key) {
    JsonNode node = json.get(key);
    long[][] out = new long[node.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new long[node.get(i).size()];
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = node.get(i).get(j).asLong();
      }
    }
    return out;
  }

  int[][] mask() {
    long[][] m = longs2d("attention_mask");
    int[][] out = new int[m.length][];
    for (int i = 0; i < m.length; i++) {
      out[i] = new int[m[i].length];
      for (int j = 0; j < m[i].length; j++) {
        out[i][j] = (int) m[i][j];
      }
    }
    return out;
  }

  float[] floats(String tensor) {
    try (Safetensors st = Safetensors.open(tensors)) {
      return st.floatArray(tensor);
    }
  }

  List<String> tensorNames() {
    try (Safetensors st = Safetensors.open(tensors)) {
      return List.copyOf(st.entries().keySet());
    }
  }

  boolean has(String tensor) {
    try (Safetensors st = Safetensors.open(tensors)) {
      return st.entries().containsKey(tensor);
    }
  }

  long[] shape(String tensor) {
    try (Safetensors st = Safetensors.open(tensors)) {
      return st.entries().get(tensor).shape();
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
