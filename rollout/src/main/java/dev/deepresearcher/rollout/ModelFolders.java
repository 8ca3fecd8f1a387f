package dev.deepresearcher.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.config.PolicyConfig;
import dev.deepresearcher.core.config.PolicyDevice;
import dev.deepresearcher.core.config.TrainingMode;
import dev.deepresearcher.policy.PolicyTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns what a user calls "a model" into a Hugging Face folder the rollout workers load: a model
 * folder as is; a GRPO checkpoint ({@code checkpoint-N/}) or a training checkpoint (its {@code
 * trainer/}) exported with LoRA merged into a folder next to it.
 */
public final class ModelFolders {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFolders() {}

  /**
   * The model folder for {@code path}.
   *
   * @throws RolloutException when {@code path} is neither a model folder nor a checkpoint
   */
  public static Path resolve(
      Path path, PolicyConfig.Training training, PolicyDevice device, int threads)
      throws IOException {
    if (Files.exists(path.resolve("config.json"))) {
      return path;
    }
    Path trainer = Files.exists(path.resolve("trainer")) ? path.resolve("trainer") : path;
    Path state = trainer.resolve("trainer_state.json");
    if (!Files.exists(state)) {
      throw new RolloutException(
          path
              + " is neither a Hugging Face model folder (config.json) nor a training checkpoint"
              + " (trainer_state.json); give a model folder, a run's final/model, or a"
              + " checkpoint-N folder");
    }
    Path exported = trainer.resolveSibling(trainer.getFileName() + "-merged");
    if (Files.exists(exported.resolve("config.json"))) {
      return exported;
    }
    JsonNode node = JSON.readTree(state.toFile());
    TrainingMode mode =
        TrainingMode.valueOf(node.path("mode").asText("lora").toUpperCase(Locale.ROOT));
    PolicyConfig.Training asSaved =
        new PolicyConfig.Training(
            mode,
            training.microBatchSize(),
            training.lora(),
            training.optimizer(),
            training.schedule());
    try (PolicyTrainer t = PolicyTrainer.resume(trainer, asSaved, device, threads)) {
      t.exportModel(exported);
    }
    return exported;
  }
}
