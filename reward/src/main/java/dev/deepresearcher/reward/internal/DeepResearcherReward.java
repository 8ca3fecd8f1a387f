package dev.deepresearcher.reward.internal;

import dev.deepresearcher.reward.RewardFunction;
import dev.deepresearcher.reward.Rewards.Metric;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * DeepResearcher's reward ({@code verl/utils/reward_score/format_and_f1.py}), reproduced exactly:
 *
 * <ol>
 *   <li>the response is lower-cased; in the evaluation variant only the text after the last {@code
 *       <|im_start|>assistant} is kept;
 *   <li>if the {@code <think>}, {@code <answer>} or {@code <tool_call>} tags are unbalanced (counts
 *       differ, or an opening tag has no closing one after it) or there is no {@code <answer>…
 *       </answer>}, the score is the format score: −1 in training, 0 in evaluation;
 *   <li>the first answer is stripped, ASCII punctuation becomes spaces, whitespace collapses;
 *   <li>each ground truth is lower-cased and processed the same way; EM scores 1 if any equals the
 *       answer, F1 is the best F1 over word <em>sets</em>.
 * </ol>
 */
public final class DeepResearcherReward implements RewardFunction {
  private static final String ASSISTANT_TURN = "<|im_start|>assistant";
  private static final int ANSWER_TAG_LENGTH = "<answer>".length();

  private final Metric metric;
  private final boolean evaluation;

  private DeepResearcherReward(Metric metric, boolean evaluation) {
    this.metric = metric;
    this.evaluation = evaluation;
  }

  /** The training reward: the whole response counts, a broken format scores −1. */
  public static DeepResearcherReward training(Metric metric) {
    return new DeepResearcherReward(metric, false);
  }

  /** The evaluation scoring: the last assistant turn counts, a broken format scores 0. */
  public static DeepResearcherReward evaluation(Metric metric) {
    return new DeepResearcherReward(metric, true);
  }

  @Override
  public String name() {
    String base = metric == Metric.F1 ? "deepresearcher-f1" : "deepresearcher-em";
    return evaluation ? base + "-eval" : base;
  }

  @Override
  public double score(String response, List<String> groundTruths) {
    String[] predicted = answerWords(response, evaluation);
    if (predicted == null) {
      return evaluation ? 0.0 : -1.0;
    }
    return metric == Metric.EM ? exactMatch(predicted, groundTruths) : f1(predicted, groundTruths);
  }

  /** The normalised words of the first answer, or null when the format is broken. */
  private static String[] answerWords(String response, boolean evaluation) {
    int from = 0;
    if (evaluation) {
      int turn = TagScan.lastIndexOfFolded(response, ASSISTANT_TURN);
      if (turn >= 0) {
        from = turn + ASSISTANT_TURN.length();
      }
    }
    TagScan tags = TagScan.scan(response, from);
    if (!tags.balanced || tags.answerOpen < 0) {
      return null;
    }
    String content = response.substring(tags.answerOpen + ANSWER_TAG_LENGTH, tags.answerClose);
    return PyText.punctuationToSpaceWords(PyText.lower(content));
  }

  /** The evaluation variant's normalised answer text, empty when the format is broken. */
  public static Optional<String> evaluationAnswer(String response) {
    String[] words = answerWords(response, true);
    return words == null ? Optional.empty() : Optional.of(String.join(" ", words));
  }

  /** Lower-cased, punctuation to spaces, whitespace collapsed. */
  public static String normalize(String text) {
    return PyText.punctuationToSpace(PyText.lower(text));
  }

  private static double exactMatch(String[] predicted, List<String> groundTruths) {
    for (String truth : groundTruths) {
      if (Arrays.equals(predicted, PyText.punctuationToSpaceWords(PyText.lower(truth)))) {
        return 1.0;
      }
    }
    return 0.0;
  }

  private static double f1(String[] predicted, List<String> groundTruths) {
    if (predicted.length == 0) {
      return 0.0; // the reference skips every ground truth when the answer has no words
    }
    Set<String> predictedSet = Set.of(distinct(predicted));
    double best = 0.0;
    for (String truth : groundTruths) {
      String[] words = PyText.punctuationToSpaceWords(PyText.lower(truth));
      if (words.length == 0) {
        continue;
      }
      Set<String> truthSet = new HashSet<>(words.length * 2);
      int common = 0;
      for (String w : words) {
        if (truthSet.add(w) && predictedSet.contains(w)) {
          common++;
        }
      }
      double precision = (double) common / predictedSet.size();
      double recall = (double) common / truthSet.size();
      if (precision + recall > 0) {
        double f1 = 2 * (precision * recall) / (precision + recall);
        best = Math.max(best, f1);
      }
    }
    return best;
  }

  private static String[] distinct(String[] words) {
    if (words.length == 1) {
      return words;
    }
    return new LinkedHashSet<>(Arrays.asList(words)).toArray(String[]::new);
  }
}
