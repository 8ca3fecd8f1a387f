package dev.deepresearcher.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deepresearcher.core.config.RewardName;
import dev.deepresearcher.reward.internal.SquadReward;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SquadRewardTest {
  @Test
  void normalisationAndScoresMatchTheSquadReference() {
    List<String> mismatches = new ArrayList<>();
    for (JsonNode c : ReferenceCases.load("squad_cases.json")) {
      String prediction = c.get("prediction").asText();
      List<String> truths = new ArrayList<>();
      c.get("ground_truths").forEach(t -> truths.add(t.asText()));
      String normalized = String.join(" ", SquadReward.normalizedWords(prediction));
      if (!normalized.equals(c.get("normalized").asText())) {
        mismatches.add("normalize(" + prediction + ") = " + normalized);
      }
      double f1 = SquadReward.bestF1(prediction, truths);
      if (Double.compare(f1, c.get("f1").asDouble()) != 0) {
        mismatches.add("f1(" + prediction + ", " + truths + ") = " + f1);
      }
      double em = SquadReward.bestExactMatch(prediction, truths);
      if (Double.compare(em, c.get("em").asDouble()) != 0) {
        mismatches.add("em(" + prediction + ", " + truths + ") = " + em);
      }
    }
    assertEquals(List.of(), mismatches);
  }

  @Test
  void theRewardScoresTheFirstAnswerAndZeroWithoutOne() {
    RewardFunction f1 = Rewards.create(RewardName.SQUAD_F1);
    RewardFunction em = Rewards.create(RewardName.SQUAD_EM);
    String response = "<think>x</think><answer>The Eiffel Tower</answer><answer>no</answer>";
    assertEquals(1.0, em.score(response, List.of("eiffel tower")));
    // Multiset: {apple: 2} vs {apple: 1} -> p = 1/2, r = 1.
    assertEquals(2.0 / 3.0, f1.score("<answer>apple apple</answer>", List.of("apple")), 1e-15);
    assertEquals(0.0, f1.score("The Eiffel Tower", List.of("eiffel tower")));
    assertEquals(0.0, f1.score("<answer>unfinished", List.of("unfinished")));
  }

  @Test
  void rewardsAreFoundByTheirConfigNames() {
    for (String name : RewardName.configNames()) {
      assertEquals(name, Rewards.byName(name).name());
    }
    RewardException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            RewardException.class, () -> Rewards.byName("rouge"));
    assertEquals(
        "unknown reward 'rouge'; choose one of [deepresearcher-f1, deepresearcher-em, squad-f1,"
            + " squad-em]",
        e.getMessage());
  }
}
