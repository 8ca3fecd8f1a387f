package dev.deepresearcher.evaluate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Metrics per data source and overall, with what the judge did.
 *
 * @param perSource metrics by data source, sorted by name
 * @param overall metrics over every rollout (a micro average)
 * @param judge what the judge did; {@code null} without a judge
 */
public record MetricsReport(
    Map<String, SourceMetrics> perSource, SourceMetrics overall, JudgeStats judge) {
  /** The key of the overall row in {@link #toJson()}. */
  public static final String OVERALL = "overall";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public MetricsReport {
    perSource = Collections.unmodifiableMap(new LinkedHashMap<>(perSource));
    Objects.requireNonNull(overall, "overall");
  }

  /**
   * {@code {data_source: {f1, em, mbe, n}, ..., "overall": {...}}}, the layout of DeepResearcher's
   * {@code *_score.json} plus {@code n} and the overall row; {@code mbe} is null without a judge.
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    perSource.forEach((source, m) -> put(root.putObject(source), m));
    put(root.putObject(OVERALL), overall);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void put(ObjectNode node, SourceMetrics m) {
    node.put("f1", m.f1());
    node.put("em", m.em());
    if (m.mbe() == null) {
      node.putNull("mbe");
    } else {
      node.put("mbe", m.mbe());
    }
    node.put("n", m.n());
  }

  /** A table for the terminal, in percent. */
  public String toTable() {
    int width = Math.max(11, perSource.keySet().stream().mapToInt(String::length).max().orElse(0));
    StringBuilder sb = new StringBuilder();
    String format = "%-" + width + "s %6s %7s %7s %7s%n";
    sb.append(String.format(Locale.ROOT, format, "data_source", "n", "F1 %", "EM %", "MBE %"));
    sb.append("-".repeat(width + 31)).append('\n');
    perSource.forEach((source, m) -> row(sb, format, source, m));
    sb.append("-".repeat(width + 31)).append('\n');
    row(sb, format, OVERALL, overall);
    return sb.toString();
  }

  private static void row(StringBuilder sb, String format, String name, SourceMetrics m) {
    sb.append(
        String.format(
            Locale.ROOT,
            format,
            name,
            m.n(),
            pct(m.f1()),
            pct(m.em()),
            m.mbe() == null ? "-" : pct(m.mbe())));
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.2f", v * 100);
  }
}
