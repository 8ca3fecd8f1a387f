package dev.deepresearcher.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepresearcher.core.config.RewardName;
import dev.deepresearcher.core.data.QaExample;
import dev.deepresearcher.reward.Rewards.Metric;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Parity with DeepResearcher's training reward on the 600 cases its own code scored, and with the
 * Python reference rules on harder inputs.
 */
class DeepResearcherRewardParityTest {
  private static final RewardFunction F1 = Rewards.create(RewardName.DEEPRESEARCHER_F1);
  private static final RewardFunction EM = Rewards.create(RewardName.DEEPRESEARCHER_EM);
  private static final RewardFunction EVAL_F1 = Rewards.deepResearcherEvaluation(Metric.F1);
  private static final RewardFunction EVAL_EM = Rewards.deepResearcherEvaluation(Metric.EM);

  @Test
  void allSixHundredReferenceCasesMatchExactlyInBothModes() {
    List<JsonNode> cases = ReferenceCases.load("reward_cases.json");
    assertEquals(600, cases.size());
    List<String> mismatches = new ArrayList<>();
    int formatErrors = 0;
    for (int i = 0; i < cases.size(); i++) {
      JsonNode c = cases.get(i);
      List<String> truths = QaExample.splitAnswers(c.get("ground_truth").asText());
      String response = c.get("response").asText();
      double f1 = F1.score(response, truths);
      double em = EM.score(response, truths);
      // Exact equality on purpose: same arithmetic, same bits.
      if (Double.compare(f1, c.get("f1").asDouble()) != 0) {
        mismatches.add("case " + i + " f1 " + f1 + " != " + c.get("f1").asDouble());
      }
      if (Double.compare(em, c.get("em").asDouble()) != 0) {
        mismatches.add("case " + i + " em " + em + " != " + c.get("em").asDouble());
      }
      if (f1 == -1.0) {
        formatErrors++;
      }
    }
    assertEquals(List.of(), mismatches);
    assertEquals(188, formatErrors, "the fixture's format-error cases are all recognised");
  }

  @Test
  void theEvaluationVariantScoresFormatErrorsZeroAndOtherwiseTheSame() {
    for (JsonNode c : ReferenceCases.load("reward_cases.json")) {
      List<String> truths = QaExample.splitAnswers(c.get("ground_truth").asText());
      String response = c.get("response").asText();
      double train = c.get("f1").asDouble();
      assertEquals(train == -1.0 ? 0.0 : train, EVAL_F1.score(response, truths), response);
      double trainEm = c.get("em").asDouble();
      assertEquals(trainEm == -1.0 ? 0.0 : trainEm, EVAL_EM.score(response, truths), response);
    }
  }

  @Test
  void harderInputsMatchThePythonReferenceRules() {
    List<JsonNode> cases = ReferenceCases.load("extra_reward_cases.json");
    assertTrue(cases.size() > 500);
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      JsonNode c = cases.get(i);
      List<String> truths = QaExample.splitAnswers(c.get("ground_truth").asText());
      String response = c.get("response").asText();
      check(mismatches, i, "f1", F1.score(response, truths), c.get("f1").asDouble());
      check(mismatches, i, "em", EM.score(response, truths), c.get("em").asDouble());
      check(mismatches, i, "eval_f1", EVAL_F1.score(response, truths), c.get("eval_f1").asDouble());
      check(mismatches, i, "eval_em", EVAL_EM.score(response, truths), c.get("eval_em").asDouble());
    }
    assertEquals(List.of(), mismatches);
  }

  private static void check(List<String> mismatches, int i, String what, double got, double want) {
    if (Double.compare(got, want) != 0 && !(got == 0.0 && want == 0.0)) {
      mismatches.add("case " + i + " " + what + ": " + got + " != " + want);
    }
  }

  @Test
  void scoringFromManyThreadsAtOnceGivesTheReferenceScores() throws Exception {
    List<JsonNode> cases = ReferenceCases.load("reward_cases.json");
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int offset = t;
        results.add(
            pool.submit(
                () -> {
                  int wrong = 0;
                  for (int k = 0; k < cases.size() * 5; k++) {
                    JsonNode c = cases.get((k + offset * 37) % cases.size());
                    List<String> truths = QaExample.splitAnswers(c.get("ground_truth").asText());
                    if (F1.score(c.get("response").asText(), truths) != c.get("f1").asDouble()) {
                      wrong++;
                    }
                  }
                  return wrong;
                }));
      }
      for (var r : results) {
        assertEquals(0, r.get());
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aKelvinSignClosesATagBecauseItLowerCasesToK() {
    assertEquals(1.0, F1.score("<THIN\u212A>x</think><answer>Paris</answer>", List.of("paris")));
    assertEquals(-1.0, F1.score("<thin\u212A>x<answer>Paris</answer>", List.of("paris")));
  }

  @Test
  void onlyTheLastAssistantTurnCountsInEvaluation() {
    String trajectory =
        "<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\n<think>searching<tool_call>"
            + "<|im_end|>\n<|im_start|>user\n<tool_response>r</tool_response><|im_end|>\n"
            + "<|im_start|>assistant\n<think>found</think>\n<answer>Paris</answer><|im_end|>";
    assertEquals(1.0, EVAL_F1.score(trajectory, List.of("Paris")));
    assertEquals(-1.0, F1.score(trajectory, List.of("Paris")), "training sees the unclosed tag");
  }

  @Test
  void wordSetF1IgnoresRepeatedWords() {
    // Sets: {new, york} vs {new, york, city} -> p=1, r=2/3.
    assertEquals(0.8, F1.score("<answer>New New York</answer>", List.of("New York City")), 1e-15);
  }
}
