package dev.deepresearcher.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.data.ChatMessage;
import dev.deepresearcher.policy.internal.jinja.JinjaTemplate;
import dev.deepresearcher.policy.internal.jinja.TemplateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's chat template, rendered as transformers' {@code apply_chat_template} renders it (Jinja2
 * with {@code trim_blocks}, {@code lstrip_blocks}, loop controls, {@code tojson} without ASCII
 * escaping and a {@code raise_exception} global), so that prompts built here tokenize to the ids
 * the model was trained on.
 *
 * <pre>{@code
 * ChatTemplate template = ChatTemplate.load(modelDir);
 * String prompt = template.render(
 *     List.of(new ChatMessage("system", system), ChatMessage.user(question)), tools, true);
 * }</pre>
 */
public final class ChatTemplate {
  private final JinjaTemplate template;
  private final Map<String, Object> specialTokens;
  private final String origin;

  private ChatTemplate(JinjaTemplate template, Map<String, Object> specialTokens, String origin) {
    this.template = template;
    this.specialTokens = specialTokens;
    this.origin = origin;
  }

  /**
   * The template in a model folder: {@code chat_template.jinja}, else the {@code chat_template} of
   * {@code tokenizer_config.json} (a string, or a list of named templates of which {@code default}
   * is taken). The special tokens of {@code tokenizer_config.json} ({@code bos_token}, {@code
   * eos_token}, {@code pad_token}, {@code unk_token}) are passed to the template as variables.
   */
  public static ChatTemplate load(Path modelDir) {
    Path jinja = modelDir.resolve("chat_template.jinja");
    Path config = modelDir.resolve("tokenizer_config.json");
    JsonNode tokenizerConfig = null;
    if (Files.exists(config)) {
      try {
        tokenizerConfig = new ObjectMapper().readTree(config.toFile());
      } catch (IOException e) {
        throw new PolicyException(
            "cannot read " + config + ": " + e.getMessage() + "; restore the model's file", e);
      }
    }
    Map<String, Object> tokens = new LinkedHashMap<>();
    if (tokenizerConfig != null) {
      for (String name : List.of("bos_token", "eos_token", "pad_token", "unk_token")) {
        JsonNode v = tokenizerConfig.get(name);
        if (v != null && v.isTextual()) {
          tokens.put(name, v.asText());
        } else if (v != null && v.isObject() && v.has("content")) {
          tokens.put(name, v.get("content").asText());
        }
      }
    }
    if (Files.exists(jinja)) {
      try {
        return compile(Files.readString(jinja, StandardCharsets.UTF_8), tokens, jinja.toString());
      } catch (IOException e) {
        throw new PolicyException("cannot read " + jinja + ": " + e.getMessage(), e);
      }
    }
    JsonNode source = tokenizerConfig == null ? null : tokenizerConfig.get("chat_template");
    if (source != null && source.isArray()) {
      for (JsonNode named : source) {
        if ("default".equals(named.path("name").asText())) {
          source = named.get("template");
          break;
        }
      }
    }
    if (source == null || !source.isTextual()) {
      throw new PolicyException(
          modelDir
              + " has no chat template (neither chat_template.jinja nor a chat_template in"
              + " tokenizer_config.json); use an instruct model's folder or add its template");
    }
    return compile(source.asText(), tokens, config + " chat_template");
  }

  /** A template from its Jinja source, with no special-token variables. */
  public static ChatTemplate of(String source) {
    return compile(source, Map.of(), "the given chat template");
  }

  private static ChatTemplate compile(String source, Map<String, Object> tokens, String origin) {
    try {
      return new ChatTemplate(JinjaTemplate.compile(source), Map.copyOf(tokens), origin);
    } catch (TemplateException e) {
      throw new PolicyException(
          "cannot parse " + origin + ": " + e.getMessage() + "; the template is not valid Jinja",
          e);
    }
  }

  /**
   * Renders a conversation.
   *
   * @param messages the conversation, its tool responses as {@code tool} messages
   * @param tools tool schemas as JSON objects ({@code {"type": "function", "function": {...}}}), or
   *     an empty list for none
   * @param addGenerationPrompt whether to open the assistant's turn at the end
   */
  public String render(
      List<ChatMessage> messages, List<Map<String, Object>> tools, boolean addGenerationPrompt) {
    List<Map<String, Object>> maps = new ArrayList<>(messages.size());
    for (ChatMessage m : messages) {
      maps.add(Map.of("role", m.role(), "content", m.content()));
    }
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("messages", maps);
    if (!tools.isEmpty()) {
      vars.put("tools", tools);
    }
    vars.put("add_generation_prompt", addGenerationPrompt);
    return render(vars);
  }

  /**
   * Renders with raw variables, as {@code apply_chat_template} passes them ({@code messages} as
   * maps that may carry {@code tool_calls}, {@code tools}, {@code add_generation_prompt}, and any
   * extra template variable); the model's special tokens are added unless given.
   *
   * @throws PolicyException when the template raises (a conversation it does not accept) or fails
   */
  public String render(Map<String, Object> variables) {
    Objects.requireNonNull(variables, "variables");
    Map<String, Object> vars = new LinkedHashMap<>(specialTokens);
    vars.putAll(variables);
    try {
      return template.render(vars);
    } catch (TemplateException e) {
      throw new PolicyException("the chat template of " + origin + " failed: " + e.getMessage(), e);
    }
  }
}
