package dev.deepresearcher.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.config.LrSchedule;
import dev.deepresearcher.core.config.PolicyConfig;
import dev.deepresearcher.core.config.PolicyDevice;
import dev.deepresearcher.core.config.TrainingMode;
import dev.deepresearcher.core.data.ChatMessage;
import dev.deepresearcher.policy.internal.Qwen2Net;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training steps, checkpoints and weight updates on the tiny end-to-end model. */
class TrainerTest {
  static final Path MODEL = LoraTest.E2E.model();

  @TempDir Path tmp;

  static float[] logits(Policy policy) {
    return LoraTest.logits(policy.net(), Qwen2Net.Mode.INFERENCE);
  }

  @Test
  void loraTrainingOnACopyTaskLowersTheLossClearly() {
    try (Policy policy = Policy.load(MODEL, PolicyDevice.CPU, 0);
        PolicyTrainer trainer =
            PolicyTrainer.create(policy, TrainingFixtures.lora(1e-2, 8, 16, 4), 1)) {
      List<TrainingSequence> batch = LoraTest.copyTask(policy, 8);
      double first = trainer.step(batch, TrainingFixtures.MEAN_NLL).loss();
      double last = first;
      for (int i = 0; i < 60; i++) {
        last = trainer.step(batch, TrainingFixtures.MEAN_NLL).loss();
      }
      System.out.printf(Locale.ROOT, "LoRA copy task: loss %.3f -> %.3f%n", first, last);
      assertTrue(last < 0.3 * first, "loss " + first + " -> " + last);
    }
  }

  @Test
  void fullTrainingOnACopyTaskLowersTheLossClearly() {
    try (Policy policy = Policy.load(MODEL, PolicyDevice.CPU, 0);
        PolicyTrainer trainer = PolicyTrainer.create(policy, TrainingFixtures.full(3e-3, 4), 1)) {
      List<TrainingSequence> batch = LoraTest.copyTask(policy, 8);
      double first = trainer.step(batch, TrainingFixtures.MEAN_NLL).loss();
      double last = first;
      for (int i = 0; i < 40; i++) {
        last = trainer.step(batch, TrainingFixtures.MEAN_NLL).loss();
      }
      System.out.printf(Locale.ROOT, "full copy task: loss %.3f -> %.3f%n", first, last);
      assertTrue(last < 0.3 * first, "loss " + first + " -> " + last);
      // The reference policy is the untouched base.
      try (Policy base = Policy.load(MODEL, PolicyDevice.CPU, 0)) {
        float[] ref = trainer.logprobs(batch.subList(0, 1), true).get(0);
        float[] now = trainer.logprobs(batch.subList(0, 1), false).get(0);
        try (PolicyTrainer fresh = PolicyTrainer.create(base, TrainingFixtures.full(0, 4), 1)) {
          assertArrayEquals(fresh.logprobs(batch.subList(0, 1), false).get(0), ref, 1e-6f);
        }
        assertFalse(Arrays.equals(ref, now));
      }
    }
  }

  @Test
  void checkpointResumesExactlyWhereTheRunWas() {
    for (PolicyConfig.Training settings :
        List.of(TrainingFixtures.lora(1e-2, 4, 8, 2), TrainingFixtures.full(1e-3, 2))) {
      Path ckpt = tmp.resolve(settings.mode() + "/checkpoint");
      float[] straight;
      float[] atSave;
      try (Policy policy = Policy.load(MODEL, PolicyDevice.CPU, 0);
          PolicyTrainer trainer = PolicyTrainer.create(policy, settings, 9)) {
        List<TrainingSequence> batch = LoraTest.copyTask(policy, 4);
        trainer.step(batch, TrainingFixtures.MEAN_NLL);
        trainer.step(batch, TrainingFixtures.MEAN_NLL);
        trainer.save(ckpt);
        atSave = logits(policy);
        trainer.step(batch, TrainingFixtures.MEAN_NLL);
        trainer.step(batch, TrainingFixtures.MEAN_NLL);
        straight = logits(policy);
      }
      try (PolicyTrainer resumed = PolicyTrainer.resume(ckpt, settings, PolicyDevice.CPU, 0)) {
        assertEquals(2, resumed.steps());
        assertArrayEquals(atSave, logits(resumed.policy()), 0f, settings.mode() + " at save");
        List<TrainingSequence> batch = LoraTest.copyTask(resumed.policy(), 4);
        resumed.step(batch, TrainingFixtures.MEAN_NLL);
        resumed.step(batch, TrainingFixtures.MEAN_NLL);
        // The same moments and step count give the same updates.
        assertArrayEquals(straight, logits(resumed.policy()), 1e-6f, settings.mode() + " after");
      }
    }
  }

  @Test
  void nonFiniteGradientIsSkippedAndReported() {
    try (Policy policy = Policy.load(MODEL, PolicyDevice.CPU, 0);
        PolicyTrainer trainer =
            PolicyTrainer.create(policy, TrainingFixtures.lora(1e-2, 4, 8, 4), 1)) {
      List<TrainingSequence> batch = LoraTest.copyTask(policy, 2);
      trainer.step(batch, TrainingFixtures.MEAN_NLL);
      float[] before = logits(policy);
      StepReport bad = trainer.step(batch, in -> in.logprobs().sum().mul(Float.NaN));
      assertTrue(bad.skipped());
      assertTrue(Double.isNaN(bad.gradNorm()));
      assertArrayEquals(before, logits(policy), 0f, "a skipped step changes nothing");
      StepReport good = trainer.step(batch, TrainingFixtures.MEAN_NLL);
      assertFalse(good.skipped());
      assertTrue(Double.isFinite(good.gradNorm()), "the NaN gradient was cleared");
      assertEquals(3, good.step());
    }
  }

  @Test
  void stepReportsNormLearningRateTokensAndLossMetrics() {
    PolicyConfig.Training settings =
        new PolicyConfig.Training(
            TrainingMode.LORA,
            3,
            TrainingFixtures.lora(4, 8, 0.1),
            TrainingFixtures.optimizer(1e-2, 0.01, 1e-3),
            new PolicyConfig.Schedule(LrSchedule.LINEAR, 2, 10, 0));
    try (Policy policy = Policy.load(MODEL, PolicyDevice.CPU, 0);
        PolicyTrainer trainer = PolicyTrainer.create(policy, settings, 1)) {
      List<TrainingSequence> batch = LoraTest.copyTask(policy, 5); // micro-batches of 3 and 2
      SequenceLoss loss =
          in -> {
            in.metric("targets", in.mask().sum());
            return TrainingFixtures.MEAN_NLL.loss(in);
          };
      StepReport first = trainer.step(batch, loss);
      assertEquals(0.0, first.lr(), "warm-up starts at 0");
      StepReport second = trainer.step(batch, loss);
      assertEquals(5e-3, second.lr(), 1e-12);
      assertTrue(second.gradNorm() > 1e-3, "the norm is reported before clipping");
      long targets = batch.stream().mapToLong(TrainingSequence::targets).sum();
      assertEquals(targets, second.tokens());
      // Micro-batches count by their share of the batch's target tokens: t1·t1/T + t2·t2/T.
      long t1 = batch.subList(0, 3).stream().mapToLong(TrainingSequence::targets).sum();
      long t2 = targets - t1;
      assertEquals(
          (double) (t1 * t1 + t2 * t2) / targets,
          second.metrics().get("targets"),
          1e-9,
          "micro-batches weighted by their target tokens");
      assertEquals(5, second.sequences());
    }
  }

  @Test
  void exportedWeightsMakeAReplicaGenerateWhatTheTrainedPolicyGenerates() {
    for (PolicyConfig.Training settings :
        List.of(TrainingFixtures.lora(1e-2, 4, 8, 4), TrainingFixtures.full(1e-3, 4))) {
      try (Policy policy = Policy.load(MODEL, PolicyDevice.CPU, 0);
          Policy replica = Policy.load(MODEL, PolicyDevice.CPU, 0);
          PolicyTrainer trainer = PolicyTrainer.create(policy, settings, 1)) {
        List<TrainingSequence> batch = LoraTest.copyTask(policy, 4);
        int[] prompt = policy.tokenizer().encode("key: 100\nanswer:");
        for (int round = 1; round <= 2; round++) {
          for (int i = 0; i < 3; i++) {
            trainer.step(batch, TrainingFixtures.MEAN_NLL);
          }
          byte[] update = trainer.exportWeights();
          assertEquals(3L * round, replica.importWeights(update));
          assertArrayEquals(logits(policy), logits(replica), 0f, settings.mode() + " logits");
          assertArrayEquals(
              policy.generate(prompt, Sampling.greedy(8)).tokens(),
              replica.generate(prompt, Sampling.greedy(8)).tokens());
        }
        if (settings.mode() == TrainingMode.LORA) {
          assertTrue(trainer.exportWeights().length < 200_000, "adapters only");
        }
      }
    }
  }

  @Test
  void exportedModelLoadsAsAPlainModelWithTheSameLogits() {
    try (Policy policy = Policy.load(MODEL, PolicyDevice.CPU, 0);
        PolicyTrainer trainer =
            PolicyTrainer.create(policy, TrainingFixtures.lora(1e-2, 4, 8, 4), 1)) {
      List<TrainingSequence> batch = LoraTest.copyTask(policy, 4);
      trainer.step(batch, TrainingFixtures.MEAN_NLL);
      trainer.step(batch, TrainingFixtures.MEAN_NLL);
      trainer.exportModel(tmp.resolve("merged"));
      try (Policy merged = Policy.load(tmp.resolve("merged"), PolicyDevice.CPU, 0)) {
        float[] a = logits(policy);
        float[] b = logits(merged);
        assertTrue(LoraTest.maxDiff(a, b) <= 1e-5, "merged export = adapters");
        List<ChatMessage> hi = List.of(ChatMessage.user("hi"));
        assertEquals(
            policy.chatTemplate().render(hi, List.of(), true),
            merged.chatTemplate().render(hi, List.of(), true));
      }
    }
  }

  @Test
  void nativeArraysStayBoundedOverFiveHundredSteps() {
    for (PolicyConfig.Training settings :
        List.of(TrainingFixtures.lora(1e-3, 4, 8, 2), TrainingFixtures.full(1e-4, 2))) {
      try (Policy policy = Policy.load(MODEL, PolicyDevice.CPU, 0);
          PolicyTrainer trainer = PolicyTrainer.create(policy, settings, 1)) {
        List<TrainingSequence> batch = LoraTest.copyTask(policy, 3);
        int steps = settings.mode() == TrainingMode.LORA ? 500 : 200;
        int settled = -1;
        for (int i = 1; i <= steps; i++) {
          trainer.step(batch, TrainingFixtures.MEAN_NLL);
          if (i % 50 == 0) {
            trainer.logprobs(batch, true);
            trainer.exportWeights();
          }
          if (i == 5) {
            settled = policy.nativeArrays();
          } else if (i > 5) {
            assertEquals(
                settled, policy.nativeArrays(), settings.mode() + " arrays after step " + i);
          }
        }
        assertTrue(settled < 200, "arrays held between steps: " + settled);
      }
    }
  }

  @Test
  void badBatchesAreRefusedWithTheFix() {
    try (Policy policy = Policy.load(MODEL, PolicyDevice.CPU, 0);
        PolicyTrainer trainer =
            PolicyTrainer.create(policy, TrainingFixtures.lora(1e-2, 4, 8, 4), 1)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> trainer.step(List.of(), TrainingFixtures.MEAN_NLL));
      assertTrue(e.getMessage().contains("empty"));
      e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  trainer.step(
                      List.of(TrainingSequence.of(new int[] {1}, new int[] {5000})),
                      TrainingFixtures.MEAN_NLL));
      assertTrue(e.getMessage().contains("5000"), e.getMessage());
      e =
          assertThrows(
              IllegalArgumentException.class,
              () -> trainer.step(LoraTest.copyTask(policy, 1), in -> in.logprobs()));
      assertTrue(e.getMessage().contains("scalar"), e.getMessage());
      e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new TrainingSequence(new int[] {1, 2}, new boolean[] {true, true}));
      assertTrue(e.getMessage().contains("lossMask[0]"), e.getMessage());
      PolicyException p =
          assertThrows(
              PolicyException.class,
              () -> PolicyTrainer.create(policy, TrainingFixtures.lora(1e-2, 4, 8, 4), 1));
      assertTrue(p.getMessage().contains("already carries adapters"), p.getMessage());
    }
  }
}
