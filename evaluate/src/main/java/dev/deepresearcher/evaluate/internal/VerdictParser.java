package dev.deepresearcher.evaluate.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the verdict out of a judge's reply: the JSON object between the first '{' and the last '}'
 * (code fences and prose around it are fine), its {@code judgement} field being {@code correct} or
 * {@code incorrect}; failing that, a {@code "judgement": "…"} pair anywhere in the text.
 */
final class VerdictParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PAIR =
      Pattern.compile(
          "\"judge?ment\"\\s*:\\s*\"\\s*(correct|incorrect)\\s*\"", Pattern.CASE_INSENSITIVE);

  private VerdictParser() {}

  /** True for correct, false for incorrect, empty when the reply holds no verdict. */
  static Optional<Boolean> parse(String reply) {
    if (reply == null) {
      return Optional.empty();
    }
    int open = reply.indexOf('{');
    int close = reply.lastIndexOf('}');
    if (open >= 0 && close > open) {
      try {
        JsonNode node = JSON.readTree(reply.substring(open, close + 1));
        JsonNode judgement = node.has("judgement") ? node.get("judgement") : node.get("judgment");
        if (judgement != null && judgement.isTextual()) {
          Optional<Boolean> v = word(judgement.asText());
          if (v.isPresent()) {
            return v;
          }
        }
      } catch (IOException e) {
        // fall through to the looser pattern
      }
    }
    Matcher m = PAIR.matcher(reply);
    return m.find() ? word(m.group(1)) : Optional.empty();
  }

  private static Optional<Boolean> word(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("correct")) {
      return Optional.of(true);
    }
    if (t.equals("incorrect")) {
      return Optional.of(false);
    }
    return Optional.empty();
  }
}
