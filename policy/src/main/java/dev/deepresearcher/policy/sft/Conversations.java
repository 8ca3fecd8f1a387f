package dev.deepresearcher.policy.sft;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.policy.ChatTemplate;
import dev.deepresearcher.policy.PolicyException;
import dev.deepresearcher.policy.Tokenizer;
import dev.deepresearcher.policy.TrainingSequence;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Conversations for supervised fine-tuning, one JSON object per line: {@code {"messages": [{"role":
 * "system"|"user"|"assistant"|"tool", "content": "..."}, ...], "tools": [...]?}}. Each becomes one
 * training sequence: the whole conversation rendered with the model's chat template, the loss on
 * the tokens of the assistant's messages (their text and the end-of-turn token).
 *
 * <pre>{@code
 * List<Conversations.Conversation> data = Conversations.read(Path.of("sft.jsonl"));
 * TrainingSequence s = Conversations.encode(data.get(0), template, tokenizer, 1024);
 * }</pre>
 */
public final class Conversations {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

  /**
   * One conversation.
   *
   * @param line where it was read (1-based), for messages
   * @param messages the messages as the chat template takes them
   * @param tools tool schemas, or empty
   */
  public record Conversation(
      long line, List<Map<String, Object>> messages, List<Map<String, Object>> tools) {
    public Conversation {
      messages = List.copyOf(messages);
      tools = List.copyOf(tools);
    }
  }

  private Conversations() {}

  /** Reads every conversation of a JSON-lines file; a bad line fails with its number and fix. */
  public static List<Conversation> read(Path file) throws IOException {
    List<Conversation> out = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String text;
      long line = 0;
      while ((text = reader.readLine()) != null) {
        line++;
        if (!text.isBlank()) {
          out.add(parse(file, line, text));
        }
      }
    }
    if (out.isEmpty()) {
      throw new PolicyException(file + " holds no conversations; write one JSON object per line");
    }
    return out;
  }

  private static Conversation parse(Path file, long line, String text) {
    String where = file + ":" + line + ": ";
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new PolicyException(where + "not valid JSON (" + e.getOriginalMessage() + ")", e);
    }
    JsonNode messages = node.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw new PolicyException(
          where
              + "needs \"messages\": a list of {\"role\": ..., \"content\": ...} objects"
              + " (the chat format)");
    }
    boolean assistant = false;
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String role = m.path("role").asText("");
      if (!ROLES.contains(role)) {
        throw new PolicyException(
            where
                + "message "
                + i
                + " has role '"
                + role
                + "'; use system, user, assistant or tool");
      }
      if (!m.path("content").isTextual()) {
        throw new PolicyException(where + "message " + i + " has no text \"content\"");
      }
      assistant |= role.equals("assistant");
    }
    if (!assistant) {
      throw new PolicyException(
          where + "has no assistant message, so nothing to learn; add the reply to train on");
    }
    List<Map<String, Object>> list = JSON.convertValue(messages, new TypeReference<>() {});
    List<Map<String, Object>> tools =
        node.has("tools") && node.get("tools").isArray()
            ? JSON.convertValue(node.get("tools"), new TypeReference<>() {})
            : List.of();
    return new Conversation(line, list, tools);
  }

  /**
   * Renders {@code c} and marks its assistant tokens as targets; cut to {@code maxLength} tokens.
   * Returns {@code null} when the cut leaves no target.
   *
   * @throws PolicyException when the template does not render a conversation as the rendering of
   *     its beginning followed by more (then the assistant's tokens cannot be told apart)
   */
  public static TrainingSequence encode(
      Conversation c, ChatTemplate template, Tokenizer tokenizer, int maxLength) {
    String full = render(template, c, c.messages().size(), false);
    List<int[]> spans = new ArrayList<>(); // [start, end) in chars of full
    for (int i = 0; i < c.messages().size(); i++) {
      if (!"assistant".equals(c.messages().get(i).get("role"))) {
        continue;
      }
      String before = i == 0 ? "" : render(template, c, i, true);
      String through = render(template, c, i + 1, false);
      if (!through.startsWith(before) || !full.startsWith(through)) {
        throw new PolicyException(
            "line "
                + c.line()
                + ": the chat template does not render this conversation turn by turn, so the"
                + " assistant's tokens cannot be located; use a template that appends each message");
      }
      int end = through.length();
      while (end > before.length() && Character.isWhitespace(through.charAt(end - 1))) {
        end--; // the newline after the end-of-turn token belongs to no one
      }
      spans.add(new int[] {full.codePointCount(0, before.length()), full.codePointCount(0, end)});
    }
    Tokenizer.Encoded encoded = tokenizer.encodeWithOffsets(full);
    int n = Math.min(encoded.ids().length, maxLength);
    int[] ids = Arrays.copyOf(encoded.ids(), n);
    boolean[] mask = new boolean[n];
    boolean any = false;
    for (int t = 1; t < n; t++) {
      int start = encoded.offsets()[t][0];
      for (int[] span : spans) {
        if (start >= span[0] && start < span[1]) {
          mask[t] = true;
          any = true;
          break;
        }
      }
    }
    return any && n >= 2 ? new TrainingSequence(ids, mask) : null;
  }

  private static String render(ChatTemplate template, Conversation c, int count, boolean prompt) {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("messages", c.messages().subList(0, count));
    if (!c.tools().isEmpty()) {
      vars.put("tools", c.tools());
    }
    vars.put("add_generation_prompt", prompt);
    return template.render(vars);
  }
}
