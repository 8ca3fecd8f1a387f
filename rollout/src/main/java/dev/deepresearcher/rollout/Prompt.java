package dev.deepresearcher.rollout;

import dev.deepresearcher.core.data.QaExample;
import java.util.List;
import java.util.Objects;

/**
 * One question to roll out.
 *
 * @param id the question's id (its group's id in GRPO)
 * @param question the question the user asks
 * @param dataSource the benchmark it comes from, for per-source metrics; may be empty
 * @param groundTruths its acceptable answers, for rewards and rollout files; may be empty
 */
public record Prompt(String id, String question, String dataSource, List<String> groundTruths) {
  public Prompt {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(question, "question");
    dataSource = dataSource == null ? "" : dataSource;
    groundTruths = groundTruths == null ? List.of() : List.copyOf(groundTruths);
    if (question.isBlank()) {
      throw new IllegalArgumentException("question " + id + " is blank; give the question's text");
    }
  }

  /** The prompt of a dataset row: its question, source and answers. */
  public static Prompt of(QaExample example) {
    return new Prompt(
        example.id(), example.question(), example.dataSource(), example.groundTruths());
  }
}
