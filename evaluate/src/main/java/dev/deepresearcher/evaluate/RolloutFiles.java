package dev.deepresearcher.evaluate;

import dev.deepresearcher.core.data.QaExample;
import dev.deepresearcher.evaluate.internal.RolloutReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads rollout files and pairs them with their questions.
 *
 * <ul>
 *   <li><b>DeepResearcher's format</b>: a JSON list of {@code {idx, question, message_str}}, paired
 *       with the data by position, so both must have the same length.
 *   <li><b>Ours</b>: JSON lines with {@code response} and, where known, {@code id} or {@code idx},
 *       {@code data_source}, {@code question} and {@code ground_truth}. With data, a line is paired
 *       by {@code idx} (the data row), else by {@code id} (the data's {@code extra_info.index}),
 *       else by position; without data, every line must carry {@code data_source} and {@code
 *       ground_truth}. Other fields are ignored.
 * </ul>
 */
public final class RolloutFiles {
  /** The two layouts. */
  public enum Format {
    /**
     * DeepResearcher's {@code *_result.json}: a JSON list of {@code {idx, question, message_str}}.
     */
    DEEPRESEARCHER_JSON,
    /** Our JSON lines. */
    JSONL
  }

  /**
   * One rollout as read.
   *
   * @param where file and line or list index, for messages
   * @param idx the {@code idx} field, or null
   * @param id the {@code id} field, or null
   * @param dataSource the {@code data_source} field, or null
   * @param question the {@code question} field, or null
   * @param response the text to score ({@code message_str} in DeepResearcher's format)
   * @param groundTruths the {@code ground_truth} field split into answers, or null
   */
  public record Entry(
      String where,
      Long idx,
      String id,
      String dataSource,
      String question,
      String response,
      List<String> groundTruths) {}

  /** A rollout file's entries and format. */
  public record Loaded(Path file, Format format, List<Entry> entries) {
    public Loaded {
      entries = List.copyOf(entries);
    }
  }

  private RolloutFiles() {}

  /**
   * Reads {@code file}, detecting its format from its first character.
   *
   * @throws EvaluateException for malformed JSON (with the place) or an unknown layout
   */
  public static Loaded read(Path file) throws IOException {
    return RolloutReader.read(file);
  }

  /**
   * Pairs rollouts with their questions.
   *
   * @param data the questions, or {@code null} when the rollouts carry their own ground truths
   * @param dataName how to name the data in messages, e.g. its file
   */
  public static List<EvalItem> pair(Loaded rollouts, List<QaExample> data, String dataName) {
    return switch (rollouts.format()) {
      case DEEPRESEARCHER_JSON -> pairByPosition(rollouts, data, dataName);
      case JSONL -> pairJsonl(rollouts, data, dataName);
    };
  }

  private static List<EvalItem> pairByPosition(
      Loaded rollouts, List<QaExample> data, String dataName) {
    if (data == null) {
      throw new EvaluateException(
          rollouts.file()
              + " is in DeepResearcher's format, which carries no ground truths: pass the questions"
              + " it was generated from with --data <parquet|jsonl>");
    }
    if (rollouts.entries().size() != data.size()) {
      throw new EvaluateException(
          rollouts.file()
              + " holds "
              + rollouts.entries().size()
              + " rollouts but "
              + dataName
              + " has "
              + data.size()
              + " rows; DeepResearcher's format is paired with the data by position, so both"
              + " must have the same length");
    }
    List<EvalItem> items = new ArrayList<>(data.size());
    for (int i = 0; i < data.size(); i++) {
      QaExample q = data.get(i);
      items.add(
          new EvalItem(
              q.dataSource(),
              q.question(),
              rollouts.entries().get(i).response(),
              q.groundTruths()));
    }
    return items;
  }

  private static List<EvalItem> pairJsonl(Loaded rollouts, List<QaExample> data, String dataName) {
    List<Entry> entries = rollouts.entries();
    List<EvalItem> items = new ArrayList<>(entries.size());
    if (data == null) {
      for (Entry e : entries) {
        if (e.dataSource() == null || e.groundTruths() == null) {
          throw new EvaluateException(
              e.where()
                  + ": a rollout without data needs 'data_source' and 'ground_truth'; add them, or"
                  + " pass the questions with --data <parquet|jsonl>");
        }
        items.add(
            new EvalItem(
                e.dataSource(),
                e.question() == null ? "" : e.question(),
                e.response(),
                e.groundTruths()));
      }
      return items;
    }
    Map<String, QaExample> byId = new HashMap<>();
    for (QaExample q : data) {
      byId.putIfAbsent(q.id(), q);
    }
    boolean byPosition = entries.stream().allMatch(e -> e.idx() == null && e.id() == null);
    if (byPosition && entries.size() != data.size()) {
      throw new EvaluateException(
          rollouts.file()
              + " has neither idx nor id, so it is paired with "
              + dataName
              + " by position, but it holds "
              + entries.size()
              + " rollouts and the data "
              + data.size()
              + " rows");
    }
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      QaExample q;
      if (byPosition) {
        q = data.get(i);
      } else if (e.idx() != null) {
        if (e.idx() < 0 || e.idx() >= data.size()) {
          throw new EvaluateException(
              e.where()
                  + ": idx "
                  + e.idx()
                  + " is outside "
                  + dataName
                  + " (rows 0 to "
                  + (data.size() - 1)
                  + ")");
        }
        q = data.get(e.idx().intValue());
      } else if (e.id() != null) {
        q = byId.get(e.id());
        if (q == null) {
          throw new EvaluateException(e.where() + ": id '" + e.id() + "' is not in " + dataName);
        }
      } else {
        throw new EvaluateException(
            e.where()
                + ": this line has neither idx nor id while others have; give every line one");
      }
      if (e.question() != null && !e.question().strip().equals(q.question().strip())) {
        throw new EvaluateException(
            e.where()
                + ": its question does not match "
                + dataName
                + " row "
                + q.row()
                + " ('"
                + abbreviate(e.question())
                + "' vs '"
                + abbreviate(q.question())
                + "'); the rollouts were made from other data");
      }
      items.add(new EvalItem(q.dataSource(), q.question(), e.response(), q.groundTruths()));
    }
    return items;
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
