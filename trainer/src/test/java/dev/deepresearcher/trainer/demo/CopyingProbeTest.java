package dev.deepresearcher.trainer.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.policy.PolicyTrainer;
import dev.deepresearcher.policy.factory.BpeSpec;
import dev.deepresearcher.policy.factory.TinyModelSpec;
import dev.deepresearcher.policy.factory.TinyModels;
import dev.deepresearcher.rollout.ChatFormat;
import dev.deepresearcher.rollout.RolloutEngine;
import dev.deepresearcher.rollout.RolloutRequest;
import dev.deepresearcher.rollout.Tools;
import dev.deepresearcher.rollout.Trajectory;
import dev.deepresearcher.search.SearchHandlers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copying probe that decides when the demo's SFT stage stops, on real demonstrations of a small
 * world (the real teacher, loop, Lucene handler and a very small random policy).
 */
class CopyingProbeTest {
  @TempDir static Path dir;
  static SyntheticWorld world;
  static Policy policy;
  static List<Trajectory> careful;
  static List<Trajectory> sloppy;

  @BeforeAll
  static void demonstrate() throws IOException {
    world = SyntheticWorld.generate(5, 20);
    TestWorldFiles.write(dir, world);
    List<String> texts = new ArrayList<>();
    for (SyntheticWorld.Document d : world.corpus()) {
      texts.add(d.title() + "\n" + d.text() + "\n" + d.url());
    }
    texts.addAll(Teacher.phrases(world));
    Path model = dir.resolve("model");
    TinyModels.create(
        texts,
        new BpeSpec(800, 2),
        new TinyModelSpec(32, 2, 2, 1, 64, 1024, 10000.0, 0.02, 11),
        model);
    DeepResearcherConfig config =
        ConfigLoader.load(
            null,
            List.of(
                "policy.model=" + model,
                "policy.device=cpu",
                "policy.threads=1",
                "policy.training.mode=full",
                "search.local.index=" + dir.resolve("index"),
                "search.local.corpus=" + dir.resolve("corpus.jsonl"),
                "cache.path=" + dir.resolve("cache.db"),
                "rollout.max_turns=4",
                "rollout.max_new_tokens=96",
                "rollout.max_total_tokens=1024",
                "rollout.search_top_k=1"));
    policy = Policy.load(config.policy());
    List<SyntheticWorld.Question> questions =
        OfflineDemo.questions(world, world.people().subList(0, 4));
    try (SearchHandlers.Connection h = SearchHandlers.connect(config, Map.of())) {
      careful = demonstrations(config, h, 1.0, questions);
      sloppy = demonstrations(config, h, 0.0, questions);
    }
  }

  private static List<Trajectory> demonstrations(
      DeepResearcherConfig config,
      SearchHandlers.Connection h,
      double care,
      List<SyntheticWorld.Question> questions) {
    Teacher teacher =
        new Teacher(policy.tokenizer(), policy.config().eosTokenIds().get(0), 1024, care, world);
    return new RolloutEngine(
            teacher,
            ChatFormat.of(policy, config.rollout().systemPrompt()),
            Tools.of(h.client()),
            config.rollout(),
            () -> 0L)
        .run(new RolloutRequest(OfflineDemo.prompts(questions), 1, 9, 0))
        .trajectories();
  }

  @AfterAll
  static void close() {
    policy.close();
  }

  @Test
  void probePositionsHoldTheAnswerTwiceInTheLastTurnOfACarefulDemonstration() {
    for (Trajectory t : careful) {
      int[] at = CopyingProbe.answerPositions(t, policy.tokenizer());
      int[] answer = policy.tokenizer().encode(" " + t.prompt().groundTruths().get(0));
      // "<think>It says born in X.</think> <answer> X</answer>": the fact read, then the answer.
      assertEquals(2 * answer.length, at.length, t.response());
      int[] picked = Arrays.stream(at).map(i -> t.ids()[i]).toArray();
      int[] twice = new int[2 * answer.length];
      System.arraycopy(answer, 0, twice, 0, answer.length);
      System.arraycopy(answer, 0, twice, answer.length, answer.length);
      assertTrue(Arrays.equals(twice, picked), t.response());
      for (int i : at) {
        assertTrue(t.lossMask()[i], "the answer tokens are the policy's own, position " + i);
      }
      assertTrue(at[0] > t.promptTokens(), "after the prompt");
    }
  }

  @Test
  void answersFromMemoryAreNotProbed() {
    // The sloppy demonstrator answers from memory without a tool call.
    for (Trajectory t : sloppy) {
      if (t.toolCalls() == 0) {
        assertEquals(0, CopyingProbe.answerPositions(t, policy.tokenizer()).length);
      }
    }
    List<Trajectory> memoryOnly = sloppy.stream().filter(t -> t.toolCalls() == 0).toList();
    assertTrue(!memoryOnly.isEmpty(), "the sloppy demonstrator guesses at least once");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new CopyingProbe(memoryOnly, policy.tokenizer()));
    assertTrue(e.getMessage().contains("careful demonstrations"), e.getMessage());
  }

  @Test
  void probeIsTheMeanProbabilityOfWritingTheAnswerPerKindOfQuestion() {
    CopyingProbe probe = new CopyingProbe(careful, policy.tokenizer());
    assertEquals(careful.size(), probe.size());
    try (PolicyTrainer trainer =
        PolicyTrainer.create(
            policy,
            ConfigLoader.load(null, List.of("policy.training.mode=full")).policy().training(),
            1)) {
      Map<String, Double> byKind = probe.answerProbability(trainer);
      assertEquals(
          List.of("world-birthplace", "world-country", "world-instrument"),
          List.copyOf(byKind.keySet()),
          "one figure per kind of question, in order of first appearance");
      // The same figure the long way: one trajectory at a time, the product of the answer tokens'
      // probabilities (logprobs[j] is about token j + 1), averaged per kind.
      Map<String, double[]> expected = new LinkedHashMap<>();
      for (Trajectory t : careful) {
        float[] lp = trainer.logprobs(List.of(t.trainingSequence()), false).get(0);
        double p = 1;
        for (int i : CopyingProbe.answerPositions(t, policy.tokenizer())) {
          p *= Math.exp(lp[i - 1]);
        }
        double[] sum = expected.computeIfAbsent(t.prompt().dataSource(), k -> new double[2]);
        sum[0] += p;
        sum[1]++;
      }
      expected.forEach(
          (kind, sum) -> assertEquals(sum[0] / sum[1], byKind.get(kind), 1e-6 * sum[0] / sum[1]));
      // A random policy over an 800-token vocabulary: each answer token near 1/800.
      assertTrue(lowest(byKind) < 0.01, "before training: " + byKind);
      for (double p : byKind.values()) {
        assertTrue(p > 0 && p <= 1, "a probability: " + byKind);
      }
    }
  }

  private static double lowest(Map<String, Double> byKind) {
    return byKind.values().stream().min(Double::compare).orElseThrow();
  }
}
