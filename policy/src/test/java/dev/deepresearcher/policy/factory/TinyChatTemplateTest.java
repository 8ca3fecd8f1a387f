package dev.deepresearcher.policy.factory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.data.ChatMessage;
import dev.deepresearcher.policy.ChatTemplate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compact ChatML template: what it renders, and that it only ever appends. */
class TinyChatTemplateTest {
  static final ChatTemplate TEMPLATE = ChatTemplate.of(TinyModels.chatTemplate());

  /** The agent's two tools, as the rollout module declares them. */
  static final List<Map<String, Object>> TOOLS =
      List.of(
          tool("web_search", "Search the web.", "query"),
          tool("browse_webpage", "Read pages.", "url_list"));

  static Map<String, Object> tool(String name, String description, String parameter) {
    Map<String, Object> property = new LinkedHashMap<>();
    property.put("type", "array");
    property.put("items", Map.of("type", "string"));
    property.put("description", "The " + parameter + ".");
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("type", "object");
    parameters.put("properties", Map.of(parameter, property));
    parameters.put("required", List.of(parameter));
    Map<String, Object> fn = new LinkedHashMap<>();
    fn.put("name", name);
    fn.put("description", description);
    fn.put("parameters", parameters);
    return Map.of("type", "function", "function", fn);
  }

  static final List<ChatMessage> TRAJECTORY =
      List.of(
          new ChatMessage("system", "Answer with the tools."),
          ChatMessage.user("Where was Ilsa Brennet born?"),
          new ChatMessage(
              "assistant",
              "<think>Search.</think><tool_call>{\"name\": \"web_search\", \"arguments\":"
                  + " {\"query\": [\"Ilsa Brennet\"]}}</tool_call>"),
          new ChatMessage("tool", "1. Ilsa Brennet was born in Zorvath."),
          new ChatMessage("tool", "2. Zorvath is a city."),
          new ChatMessage("assistant", "<think>Found.</think><answer>Zorvath</answer>"),
          ChatMessage.user("And her sister?"),
          new ChatMessage("tool", "3. Nothing."),
          new ChatMessage("assistant", "<answer>unknown</answer>"));

  @TempDir Path tmp;

  @Test
  void toolConversationRendersAsCompactChatMl() {
    String expected =
        "<|im_start|>system\nAnswer with the tools.\nTools: web_search(query: list of strings),"
            + " browse_webpage(url_list: list of strings). Call one as <tool_call>{\"name\": ...,"
            + " \"arguments\": {...}}</tool_call>.<|im_end|>\n"
            + "<|im_start|>user\nWhere was Ilsa Brennet born?<|im_end|>\n"
            + "<|im_start|>assistant\n<think>Search.</think><tool_call>{\"name\": \"web_search\","
            + " \"arguments\": {\"query\": [\"Ilsa Brennet\"]}}</tool_call><|im_end|>\n"
            + "<|im_start|>user\n<tool_response>\n1. Ilsa Brennet was born in Zorvath.\n"
            + "</tool_response>\n<tool_response>\n2. Zorvath is a city.\n</tool_response>"
            + "<|im_end|>\n<|im_start|>assistant\n";
    assertEquals(expected, TEMPLATE.render(TRAJECTORY.subList(0, 5), TOOLS, true));
    // The factory trains the tokenizer on the template's own text, tools line included.
    assertTrue(TinyModels.TEMPLATE_TEXT.startsWith(TEMPLATE.render(List.of(), TOOLS, false)));
  }

  @Test
  void withoutToolsOrSystemMessageThereIsNoSystemTurn() {
    assertEquals(
        "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
        TEMPLATE.render(List.of(ChatMessage.user("hi")), List.of(), true));
    assertEquals(
        "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n",
        TEMPLATE.render(
            List.of(new ChatMessage("system", "Be brief."), ChatMessage.user("hi")),
            List.of(),
            false));
    assertTrue(
        TEMPLATE
            .render(List.of(ChatMessage.user("hi")), TOOLS, true)
            .startsWith("<|im_start|>system\nTools: web_search(query: list of strings), "));
  }

  @Test
  void renderingOnlyAppends() {
    for (List<Map<String, Object>> tools : List.of(TOOLS, List.<Map<String, Object>>of())) {
      for (int start : new int[] {0, 1}) {
        List<ChatMessage> all = TRAJECTORY.subList(start, TRAJECTORY.size());
        for (int n = 1; n < all.size(); n++) {
          String shorter = TEMPLATE.render(all.subList(0, n), tools, false);
          // Up to its last end of turn: a tool turn stays open when another tool message follows.
          String kept = shorter.substring(0, shorter.lastIndexOf("<|im_end|>"));
          for (int m = n + 1; m <= all.size(); m++) {
            String longer = TEMPLATE.render(all.subList(0, m), tools, false);
            assertTrue(longer.startsWith(kept), "render of " + n + " messages vs " + m);
          }
          if (all.get(n).role().equals("assistant")) {
            // The generation prompt is where the assistant's message will go.
            String prompt = TEMPLATE.render(all.subList(0, n), tools, true);
            String withAnswer = TEMPLATE.render(all.subList(0, n + 1), tools, false);
            assertTrue(withAnswer.startsWith(prompt + all.get(n).content() + "<|im_end|>\n"));
          }
        }
      }
    }
  }

  @Test
  void modelFolderCarriesTheTemplate() throws IOException {
    TinyTokenizer tok = TinyModels.trainTokenizer(List.of("a small text"), new BpeSpec(512, 1));
    TinyModel model = TinyModels.create(tok, TinyModelsTest.SMALL, tmp.resolve("m"));
    ChatTemplate loaded = ChatTemplate.load(model.dir());
    List<ChatMessage> messages = new ArrayList<>(TRAJECTORY);
    assertEquals(TEMPLATE.render(messages, TOOLS, false), loaded.render(messages, TOOLS, false));
  }
}
