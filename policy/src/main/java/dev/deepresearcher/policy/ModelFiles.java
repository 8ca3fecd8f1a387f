package dev.deepresearcher.policy;

import ai.djl.ndarray.NDArray;
import dev.deepresearcher.policy.internal.Qwen2Net;
import dev.deepresearcher.policy.internal.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/** Writes a network as a Hugging Face model folder, beside the base model's other files. */
final class ModelFiles {
  /** The files of a model folder other than the weights, copied when present. */
  static final List<String> COMPANIONS =
      List.of(
          "config.json",
          "generation_config.json",
          "tokenizer.json",
          "tokenizer_config.json",
          "special_tokens_map.json",
          "chat_template.jinja",
          "vocab.json",
          "merges.txt");

  private ModelFiles() {}

  /** {@code model.safetensors} with Hugging Face names, plus the base folder's companions. */
  static void writeHuggingFace(Qwen2Net net, Path base, Path dir) throws IOException {
    SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
    for (Map.Entry<String, NDArray> e : net.parameters().entrySet()) {
      w.add(e.getKey(), SafetensorsWriter.f32(e.getValue()));
    }
    w.write(dir.resolve("model.safetensors"));
    for (String name : COMPANIONS) {
      Path from = base.resolve(name);
      if (Files.exists(from)) {
        Files.copy(from, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
