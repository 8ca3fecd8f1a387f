package dev.deepresearcher.core.data.internal;

import dev.deepresearcher.core.data.ChatMessage;
import dev.deepresearcher.core.data.DatasetException;
import dev.deepresearcher.core.data.QaExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns one row, as plain values, into a {@link QaExample}; the same checks and messages for every
 * file format.
 */
public final class ExampleMapper {
  private ExampleMapper() {}

  /**
   * @param row the row's fields as plain values (strings, numbers, lists, maps; {@code null} for
   *     missing)
   * @param where the file and row, for messages, e.g. {@code dev.parquet row 12}
   * @param index the row's position in the file, from 0
   */
  public static QaExample toExample(Map<String, Object> row, String where, long index) {
    String dataSource = string(row, "data_source", where, true);
    if (dataSource.isBlank()) {
      throw new DatasetException(where + ": data_source is empty; name the benchmark, e.g. nq");
    }
    List<ChatMessage> prompt = prompt(row.get("prompt"), where);
    List<String> answers = groundTruths(row.get("reward_model"), where);
    String ability = string(row, "ability", where, false);
    Map<String, Object> extra = Map.of();
    Object extraInfo = row.get("extra_info");
    if (extraInfo != null) {
      if (!(extraInfo instanceof Map<?, ?>)) {
        throw new DatasetException(
            where + ": extra_info must be a map, got " + typeName(extraInfo));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) extraInfo;
      extra = m;
    }
    Object idValue = extra.get("index");
    String id = idValue == null ? Long.toString(index) : String.valueOf(idValue);
    return new QaExample(id, dataSource, prompt, answers, ability, extra, index);
  }

  private static List<ChatMessage> prompt(Object value, String where) {
    if (value == null) {
      throw new DatasetException(
          where + ": missing prompt; expected a list of {role, content} messages");
    }
    if (!(value instanceof List<?> list)) {
      throw new DatasetException(
          where + ": prompt must be a list of {role, content} messages, got " + typeName(value));
    }
    if (list.isEmpty()) {
      throw new DatasetException(where + ": prompt is an empty list; it needs the question");
    }
    List<ChatMessage> messages = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> m)) {
        throw new DatasetException(
            where
                + ": prompt["
                + i
                + "] must be a {role, content} map, got "
                + typeName(list.get(i)));
      }
      Object role = m.get("role");
      Object content = m.get("content");
      if (!(role instanceof String r) || !(content instanceof String c)) {
        throw new DatasetException(
            where
                + ": prompt["
                + i
                + "] needs string fields role and content, got role "
                + typeName(role)
                + " and content "
                + typeName(content));
      }
      messages.add(new ChatMessage(r, c));
    }
    return messages;
  }

  private static List<String> groundTruths(Object rewardModel, String where) {
    if (rewardModel == null) {
      throw new DatasetException(where + ": missing reward_model.ground_truth");
    }
    if (!(rewardModel instanceof Map<?, ?> m)) {
      throw new DatasetException(
          where + ": reward_model must be a map with ground_truth, got " + typeName(rewardModel));
    }
    Object truth = m.get("ground_truth");
    if (truth == null) {
      throw new DatasetException(where + ": missing reward_model.ground_truth");
    }
    List<String> answers;
    try {
      answers = QaExample.answersOf(truth);
    } catch (IllegalArgumentException e) {
      throw new DatasetException(where + ": reward_model." + e.getMessage(), e);
    }
    if (answers.stream().allMatch(String::isBlank)) {
      throw new DatasetException(
          where + ": reward_model.ground_truth is empty; every question needs at least one answer");
    }
    return answers;
  }

  private static String string(
      Map<String, Object> row, String key, String where, boolean required) {
    Object value = row.get(key);
    if (value == null) {
      if (required) {
        throw new DatasetException(where + ": missing " + key);
      }
      return null;
    }
    if (!(value instanceof String s)) {
      throw new DatasetException(where + ": " + key + " must be a string, got " + typeName(value));
    }
    return s;
  }

  static String typeName(Object value) {
    return switch (value) {
      case null -> "nothing";
      case String s -> "a string";
      case Number n -> "a number (" + n + ")";
      case Boolean b -> "a boolean";
      case List<?> l -> "a list";
      case Map<?, ?> m -> "a map";
      default -> value.getClass().getSimpleName();
    };
  }
}
