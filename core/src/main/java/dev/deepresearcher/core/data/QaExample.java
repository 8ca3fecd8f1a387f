package dev.deepresearcher.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One question with its acceptable answers, as DeepResearcher's datasets hold it.
 *
 * @param id {@code extra_info.index} when present, else the row number
 * @param dataSource the benchmark it comes from, e.g. {@code nq} or {@code hotpotqa}
 * @param prompt the conversation given to the policy; in DeepResearcher's data, one user message
 *     with the bare question
 * @param groundTruths the acceptable answers, at least one, in file order
 * @param ability the {@code ability} column, or {@code null}
 * @param extraInfo the {@code extra_info} column as plain values (strings, longs, doubles,
 *     booleans, lists, maps); empty when absent
 * @param row the row's position in its file, from 0
 */
public record QaExample(
    String id,
    String dataSource,
    List<ChatMessage> prompt,
    List<String> groundTruths,
    String ability,
    Map<String, Object> extraInfo,
    long row) {
  /** The separator between answers in DeepResearcher's {@code reward_model.ground_truth}. */
  public static final String ANSWER_SEPARATOR = "<|answer_split|>";

  public QaExample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(dataSource, "dataSource");
    prompt = List.copyOf(prompt);
    groundTruths = List.copyOf(groundTruths);
    extraInfo = Collections.unmodifiableMap(new LinkedHashMap<>(extraInfo));
    if (prompt.isEmpty()) {
      throw new IllegalArgumentException("prompt of question " + id + " is empty");
    }
    if (groundTruths.isEmpty()) {
      throw new IllegalArgumentException("question " + id + " has no ground-truth answer");
    }
    if (row < 0) {
      throw new IllegalArgumentException("row must be >= 0, got " + row);
    }
  }

  /** The question: the first user message's content, as DeepResearcher's evaluation takes it. */
  public String question() {
    for (ChatMessage m : prompt) {
      if (m.role().equals("user")) {
        return m.content();
      }
    }
    return prompt.get(0).content();
  }

  /** The answers joined by {@link #ANSWER_SEPARATOR}, as in the parquet files. */
  public String groundTruthJoined() {
    return String.join(ANSWER_SEPARATOR, groundTruths);
  }

  /**
   * The answers a {@code ground_truth} value holds: a string of answers joined by {@link
   * #ANSWER_SEPARATOR}, or a list of strings; Jackson's {@code JsonNode} text and arrays are
   * accepted too.
   *
   * @throws IllegalArgumentException saying what was found instead, for the caller to place
   */
  public static List<String> answersOf(Object value) {
    if (value instanceof JsonNode node) {
      if (node.isTextual()) {
        return splitAnswers(node.asText());
      }
      if (node.isArray()) {
        List<Object> items = new ArrayList<>();
        node.forEach(item -> items.add(item.isTextual() ? item.asText() : item));
        value = items;
      } else {
        value = node.isNull() ? null : node.toString();
        if (value != null) {
          throw new IllegalArgumentException(
              "ground_truth must be a string (answers joined by "
                  + ANSWER_SEPARATOR
                  + ") or a list of strings, got "
                  + value);
        }
      }
    }
    if (value instanceof String s) {
      return splitAnswers(s);
    }
    if (value instanceof List<?> list && !list.isEmpty()) {
      List<String> answers = new ArrayList<>(list.size());
      for (Object item : list) {
        if (!(item instanceof String s)) {
          throw new IllegalArgumentException("ground_truth must hold strings, got " + item);
        }
        answers.add(s);
      }
      return answers;
    }
    throw new IllegalArgumentException(
        "ground_truth must be a string (answers joined by "
            + ANSWER_SEPARATOR
            + ") or a non-empty list of strings, got "
            + (value == null ? "nothing" : value));
  }

  /**
   * Splits a joined ground truth the way Python's {@code str.split} does: every separator splits,
   * so empty answers are kept.
   */
  public static List<String> splitAnswers(String joined) {
    List<String> answers = new ArrayList<>();
    int from = 0;
    int at;
    while ((at = joined.indexOf(ANSWER_SEPARATOR, from)) >= 0) {
      answers.add(joined.substring(from, at));
      from = at + ANSWER_SEPARATOR.length();
    }
    answers.add(joined.substring(from));
    return answers;
  }
}
