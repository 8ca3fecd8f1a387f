package dev.deepresearcher.rollout;

import dev.deepresearcher.core.data.ChatMessage;
import dev.deepresearcher.policy.ChatTemplate;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.policy.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a conversation becomes tokens: the model's own chat template, our system prompt and the two
 * tools. The agent loop never re-tokenises what the policy sampled; it renders the conversation
 * only to find the template's text around the sampled turns (the tool response and the next turn's
 * header) and tokenises that alone.
 *
 * <pre>{@code
 * ChatFormat format = ChatFormat.of(policy, null);
 * ChatFormat.Start start = format.start("Who wrote Hamlet?");
 * }</pre>
 */
public final class ChatFormat {
  /** The built-in system prompt. */
  public static final String DEFAULT_SYSTEM_PROMPT =
      "You are a research assistant. Answer the user's question by searching the web and reading"
          + " pages. In every turn, first think inside <think> </think>. Then either call exactly one"
          + " tool inside <tool_call> </tool_call>, or give the final answer inside <answer>"
          + " </answer>. Browse only URLs from your last search. Keep the answer short: a name, a"
          + " number, a date or a few words.";

  private final Tokenizer tokenizer;
  private final ChatTemplate template;
  private final String systemPrompt;
  private final String endOfTurn;
  private final List<Map<String, Object>> tools;

  /**
   * @param endOfTurn the text of the token that ends a turn in the template, e.g. {@code
   *     <|im_end|>}
   */
  public ChatFormat(
      Tokenizer tokenizer,
      ChatTemplate template,
      String systemPrompt,
      String endOfTurn,
      List<Map<String, Object>> tools) {
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.template = Objects.requireNonNull(template, "template");
    this.systemPrompt = systemPrompt == null ? DEFAULT_SYSTEM_PROMPT : systemPrompt;
    this.endOfTurn = Objects.requireNonNull(endOfTurn, "endOfTurn");
    this.tools = List.copyOf(tools);
  }

  /**
   * The policy's format: its tokenizer and chat template, its first end-of-sequence token as the
   * end of a turn, and the two tools.
   *
   * @param systemPrompt {@code null} for {@link #DEFAULT_SYSTEM_PROMPT}
   */
  public static ChatFormat of(Policy policy, String systemPrompt) {
    int eos = policy.config().eosTokenIds().get(0);
    return new ChatFormat(
        policy.tokenizer(),
        policy.chatTemplate(),
        systemPrompt,
        policy.tokenizer().decode(new int[] {eos}, false),
        toolSchemas());
  }

  /** The conversation's opening. */
  public record Start(List<ChatMessage> messages, String text, int[] ids) {
    public Start {
      messages = List.copyOf(messages);
      ids = ids.clone();
    }

    @Override
    public int[] ids() {
      return ids.clone();
    }
  }

  /** The template's text after a sampled turn (a tool response, the next header) and its tokens. */
  public record Delta(String text, int[] ids) {
    public Delta {
      ids = ids.clone();
    }

    @Override
    public int[] ids() {
      return ids.clone();
    }
  }

  /** System prompt, tools and the question, with the assistant's turn opened. */
  public Start start(String question) {
    List<ChatMessage> messages =
        List.of(new ChatMessage("system", systemPrompt), ChatMessage.user(question));
    String text = template.render(messages, tools, true);
    return new Start(messages, text, tokenizer.encode(text));
  }

  /**
   * What follows the last sampled turn of {@code history} (whose last message is that assistant
   * turn) when the tool answers {@code toolResponse}: the rest of the template after the turn's end
   * token, the tool message, and the next assistant header.
   *
   * @throws RolloutException when the template does not render the conversation so far as a prefix
   *     of the longer one (then no token-exact continuation exists)
   */
  public Delta afterTurn(List<ChatMessage> history, String toolResponse) {
    String before = template.render(history, tools, false);
    List<ChatMessage> longer = new ArrayList<>(history);
    longer.add(new ChatMessage("tool", toolResponse));
    String after = template.render(longer, tools, true);
    int cut = before.lastIndexOf(endOfTurn);
    if (cut < 0 || !after.startsWith(before.substring(0, cut + endOfTurn.length()))) {
      throw new RolloutException(
          "the chat template does not render the conversation so far as the start of the"
              + " conversation with the tool response, so the sampled tokens cannot be continued"
              + " exactly; use a template that appends turns (ChatML, as Qwen2.5's)");
    }
    String text = after.substring(cut + endOfTurn.length());
    return new Delta(text, tokenizer.encode(text));
  }

  /** The text of {@code ids}, special tokens kept. */
  public String decode(int[] ids) {
    return tokenizer.decode(ids, false);
  }

  /** The system prompt in use. */
  public String systemPrompt() {
    return systemPrompt;
  }

  /** The two tools as function schemas, in the form chat templates take. */
  public static List<Map<String, Object>> toolSchemas() {
    return List.of(
        function(
            ToolCall.WEB_SEARCH,
            "Search the web. Returns the title, URL and a snippet of the top results for each"
                + " query.",
            "query",
            "One or more search queries (at most 3 are run)."),
        function(
            ToolCall.BROWSE_WEBPAGE,
            "Read web pages from the results of your last search and return what is relevant to"
                + " the question.",
            "url_list",
            "The URLs to read, taken from your last search's results."));
  }

  private static Map<String, Object> function(
      String name, String description, String parameter, String parameterDescription) {
    Map<String, Object> items = Map.of("type", "string");
    Map<String, Object> property = new LinkedHashMap<>();
    property.put("type", "array");
    property.put("items", items);
    property.put("description", parameterDescription);
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("type", "object");
    parameters.put("properties", Map.of(parameter, property));
    parameters.put("required", List.of(parameter));
    Map<String, Object> fn = new LinkedHashMap<>();
    fn.put("name", name);
    fn.put("description", description);
    fn.put("parameters", parameters);
    Map<String, Object> tool = new LinkedHashMap<>();
    tool.put("type", "function");
    tool.put("function", fn);
    return tool;
  }
}
