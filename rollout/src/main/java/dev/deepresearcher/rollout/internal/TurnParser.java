package dev.deepresearcher.rollout.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.rollout.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one assistant turn: {@code <think>…</think>} followed by exactly one {@code
 * <tool_call>{"name": …, "arguments": …}</tool_call>} or one {@code <answer>…</answer>}, with only
 * whitespace around. Never throws on odd text.
 */
public final class TurnParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] TAGS = {
    "<think>", "</think>", "<tool_call>", "</tool_call>", "<answer>", "</answer>"
  };

  /** What a turn says. */
  public sealed interface Parsed {}

  /** The final answer. */
  public record Answer(String answer) implements Parsed {}

  /** A well-formed tool call. */
  public record Call(ToolCall call) implements Parsed {}

  /**
   * A tool call in the right place whose content is wrong (not JSON, an unknown tool, no
   * arguments): the policy is told why and the trajectory goes on.
   */
  public record BadCall(String reason) implements Parsed {}

  /** A broken format: the trajectory ends. */
  public record FormatError(String reason) implements Parsed {}

  private final int maxQueries;
  private final int maxUrls;

  public TurnParser(int maxQueries, int maxUrls) {
    this.maxQueries = maxQueries;
    this.maxUrls = maxUrls;
  }

  public Parsed parse(String text) {
    String s = text.strip();
    if (!s.startsWith("<think>")) {
      return new FormatError("the turn does not start with <think>");
    }
    int close = s.indexOf("</think>");
    if (close < 0) {
      return new FormatError("<think> is not closed by </think>");
    }
    String thinking = s.substring("<think>".length(), close);
    if (hasTag(thinking)) {
      return new FormatError("a tag inside <think>…</think>");
    }
    String rest = s.substring(close + "</think>".length()).strip();
    if (rest.startsWith("<answer>")) {
      int end = rest.indexOf("</answer>");
      if (end < 0) {
        return new FormatError("<answer> is not closed by </answer>");
      }
      String answer = rest.substring("<answer>".length(), end);
      if (hasTag(answer)) {
        return new FormatError("a tag inside <answer>…</answer>");
      }
      if (!rest.substring(end + "</answer>".length()).isBlank()) {
        return new FormatError("text after </answer>");
      }
      return new Answer(answer.strip());
    }
    if (rest.startsWith("<tool_call>")) {
      int end = rest.indexOf("</tool_call>");
      if (end < 0) {
        return new FormatError("<tool_call> is not closed by </tool_call>");
      }
      String body = rest.substring("<tool_call>".length(), end);
      if (hasTag(body)) {
        return new FormatError("a tag inside <tool_call>…</tool_call>");
      }
      String after = rest.substring(end + "</tool_call>".length());
      if (!after.isBlank()) {
        return new FormatError(
            after.strip().startsWith("<tool_call>")
                ? "more than one tool call in a turn"
                : "text after </tool_call>");
      }
      return call(body.strip());
    }
    return new FormatError(
        rest.isEmpty()
            ? "nothing after </think>: neither a tool call nor an answer"
            : "after </think> comes neither <tool_call> nor <answer>");
  }

  private Parsed call(String body) {
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return new BadCall(
          "the tool call is not valid JSON; write {\"name\": \"web_search\", \"arguments\":"
              + " {\"query\": [\"...\"]}}");
    }
    if (node == null || !node.isObject()) {
      return new BadCall("the tool call must be a JSON object with \"name\" and \"arguments\"");
    }
    String name = node.path("name").asText("");
    JsonNode args = node.get("arguments");
    if (args != null && args.isTextual()) {
      // Some models write the arguments as a JSON string; accept that.
      try {
        args = JSON.readTree(args.asText());
      } catch (JsonProcessingException e) {
        return new BadCall("the tool call's \"arguments\" is not a JSON object");
      }
    }
    String parameter;
    int limit;
    switch (name) {
      case ToolCall.WEB_SEARCH -> {
        parameter = "query";
        limit = maxQueries;
      }
      case ToolCall.BROWSE_WEBPAGE -> {
        parameter = "url_list";
        limit = maxUrls;
      }
      default -> {
        return new BadCall(
            "unknown tool '"
                + abbreviate(name)
                + "'; the tools are "
                + ToolCall.WEB_SEARCH
                + " and "
                + ToolCall.BROWSE_WEBPAGE);
      }
    }
    JsonNode value = args == null || !args.isObject() ? null : args.get(parameter);
    List<String> values = new ArrayList<>();
    if (value != null && value.isTextual()) {
      values.add(value.asText());
    } else if (value != null && value.isArray()) {
      for (JsonNode v : value) {
        if (!v.isTextual()) {
          return new BadCall(name + "'s \"" + parameter + "\" must be a list of strings");
        }
        values.add(v.asText());
      }
    }
    values.removeIf(String::isBlank);
    if (values.isEmpty()) {
      return new BadCall(
          name + " needs \"arguments\": {\"" + parameter + "\": [...]} with at least one entry");
    }
    int dropped = Math.max(0, values.size() - limit);
    return new Call(new ToolCall(name, values.subList(0, values.size() - dropped), dropped));
  }

  private static boolean hasTag(String s) {
    for (String tag : TAGS) {
      if (s.contains(tag)) {
        return true;
      }
    }
    return false;
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
