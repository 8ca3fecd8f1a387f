package dev.deepresearcher.policy.sft;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.core.config.SftConfig;
import dev.deepresearcher.core.config.TrainingMode;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.policy.PolicyException;
import dev.deepresearcher.policy.PolicyTrainer;
import dev.deepresearcher.policy.SequenceLoss;
import dev.deepresearcher.policy.StepReport;
import dev.deepresearcher.policy.TrainingSequence;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A supervised fine-tuning run: reads {@code sft.data}, trains {@code policy.model} as {@code
 * policy.training} says for {@code sft.epochs} passes, and writes into {@code sft.out}:
 *
 * <ul>
 *   <li>{@code metrics.jsonl}: one line per step (loss, gradient norm, learning rate, tokens);
 *   <li>{@code checkpoint-N/}: every {@code sft.save_every} steps and at the end (resumable);
 *   <li>{@code adapter/} (LoRA, PEFT's layout) and {@code model/} (a Hugging Face folder, LoRA
 *       merged): what other tools and {@code scripts/generate} load.
 * </ul>
 */
public final class SftRun {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What a run did.
   *
   * @param steps optimizer steps
   * @param firstLoss the first step's loss
   * @param lastLoss the mean loss of the last epoch's steps
   * @param model the exported model folder
   */
  public record Summary(long steps, double firstLoss, double lastLoss, Path model) {}

  private SftRun() {}

  /** Runs supervised fine-tuning as {@code config} says, logging to {@code log}. */
  public static Summary run(DeepResearcherConfig config, PrintStream log) throws IOException {
    SftConfig sft = config.sft();
    if (sft.data() == null) {
      throw new PolicyException("sft.data is not set; give the conversations with --data FILE");
    }
    if (config.policy().model() == null) {
      throw new PolicyException("policy.model is not set; give the model folder with --model DIR");
    }
    Path out = sft.out();
    Files.createDirectories(out);
    Path metrics = out.resolve("metrics.jsonl");
    Files.deleteIfExists(metrics);
    try (Policy policy = Policy.load(config.policy());
        PolicyTrainer trainer =
            PolicyTrainer.create(policy, config.policy().training(), config.run().seed())) {
      List<TrainingSequence> data = new ArrayList<>();
      int cut = 0;
      for (Conversations.Conversation c : Conversations.read(sft.data())) {
        TrainingSequence s =
            Conversations.encode(c, policy.chatTemplate(), policy.tokenizer(), sft.maxLength());
        if (s == null) {
          cut++;
        } else {
          data.add(s);
        }
      }
      if (data.isEmpty()) {
        throw new PolicyException(
            "no conversation of "
                + sft.data()
                + " keeps an assistant token within sft.max_length = "
                + sft.maxLength()
                + "; raise it");
      }
      int stepsPerEpoch = (data.size() + sft.batchSize() - 1) / sft.batchSize();
      long total = (long) stepsPerEpoch * sft.epochs();
      log.printf(
          Locale.ROOT,
          "SFT of %s (%s) on %d conversations%s: %d epochs of %d steps, batch %d%n",
          config.policy().model(),
          config.policy().training().mode().configName(),
          data.size(),
          cut == 0 ? "" : " (" + cut + " left out: nothing to learn within max_length)",
          sft.epochs(),
          stepsPerEpoch,
          sft.batchSize());
      Random random = new Random(config.run().seed());
      double firstLoss = Double.NaN;
      double epochLoss = 0;
      long step = 0;
      for (int epoch = 0; epoch < sft.epochs(); epoch++) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
          order.add(i);
        }
        Collections.shuffle(order, random);
        epochLoss = 0;
        for (int b = 0; b < stepsPerEpoch; b++) {
          List<TrainingSequence> batch = new ArrayList<>();
          for (int i = b * sft.batchSize();
              i < Math.min(data.size(), (b + 1) * sft.batchSize());
              i++) {
            batch.add(data.get(order.get(i)));
          }
          long start = System.nanoTime();
          StepReport r = trainer.step(batch, SequenceLoss.meanNll());
          double seconds = (System.nanoTime() - start) / 1e9;
          step++;
          if (step == 1) {
            firstLoss = r.loss();
          }
          epochLoss += r.loss();
          appendMetrics(metrics, epoch, r, seconds);
          if (step % sft.logEvery() == 0 || step == total) {
            log.printf(
                Locale.ROOT,
                "step %d/%d  epoch %d  loss %.4f  grad %.3g  lr %.3g  %.0f tok/s%s%n",
                step,
                total,
                epoch + 1,
                r.loss(),
                r.gradNorm(),
                r.lr(),
                r.tokens() / seconds,
                r.skipped() ? "  (skipped: non-finite gradient)" : "");
          }
          if (sft.saveEvery() > 0 && step % sft.saveEvery() == 0 && step != total) {
            trainer.save(out.resolve("checkpoint-" + step));
          }
        }
      }
      trainer.save(out.resolve("checkpoint-" + step));
      Path model = out.resolve("model");
      if (config.policy().training().mode() == TrainingMode.LORA) {
        trainer.saveAdapter(out.resolve("adapter"));
      }
      trainer.exportModel(model);
      double lastLoss = epochLoss / stepsPerEpoch;
      log.printf(
          Locale.ROOT,
          "done: %d steps, loss %.4f -> %.4f (last epoch's mean); model in %s%n",
          step,
          firstLoss,
          lastLoss,
          model);
      return new Summary(step, firstLoss, lastLoss, model);
    }
  }

  private static void appendMetrics(Path file, int epoch, StepReport r, double seconds)
      throws IOException {
    ObjectNode line = JSON.createObjectNode();
    line.put("step", r.step());
    line.put("epoch", epoch + 1);
    line.put("loss", r.loss());
    line.put("grad_norm", r.gradNorm());
    line.put("lr", r.lr());
    line.put("skipped", r.skipped());
    line.put("sequences", r.sequences());
    line.put("tokens", r.tokens());
    line.put("seconds", seconds);
    Files.writeString(
        file,
        line + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
