package dev.deepresearcher.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.data.ChatMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Qwen2.5 chat template against transformers' apply_chat_template: text and token ids. */
class ChatTemplateTest {
  record Case(
      String name,
      List<Map<String, Object>> tools,
      boolean add_generation_prompt,
      List<Map<String, Object>> messages,
      String text,
      int[] ids) {}

  record Cases(String source, List<Case> cases) {}

  private static List<Case> cases() throws IOException {
    return new ObjectMapper()
        .readValue(
            GoldenFixture.resource("chat_template_cases.json").toFile(),
            new TypeReference<Cases>() {})
        .cases();
  }

  private static Path e2eModel() {
    return GoldenFixture.resource("qwen2_tiny_e2e_tied_v1024").resolve("model");
  }

  private static ChatTemplate qwen25() throws IOException {
    return ChatTemplate.of(Files.readString(GoldenFixture.resource("qwen25_chat_template.jinja")));
  }

  @Test
  void qwenTemplateRendersEveryConversationLikeTransformers() throws IOException {
    ChatTemplate template = qwen25();
    try (Tokenizer tok = Tokenizer.load(e2eModel())) {
      for (Case c : cases()) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("messages", c.messages());
        if (c.tools() != null) {
          vars.put("tools", c.tools());
        }
        vars.put("add_generation_prompt", c.add_generation_prompt());
        String text = template.render(vars);
        assertEquals(c.text(), text, c.name());
        assertArrayEquals(c.ids(), tok.encode(text), c.name() + " ids");
      }
    }
  }

  @Test
  void typedMessagesFromTheModelFolderRenderAsTheirMaps() throws IOException {
    // The folder's chat_template.jinja is the Qwen2.5 template (its tool branch differs only in
    // the "{{" of the tool-call instruction, which the fixture's copy keeps as Qwen ships it).
    ChatTemplate template = ChatTemplate.load(e2eModel());
    Case c = cases().stream().filter(x -> x.name().equals("no_tools_multi")).findFirst().get();
    List<ChatMessage> messages =
        c.messages().stream()
            .map(m -> new ChatMessage((String) m.get("role"), (String) m.get("content")))
            .toList();
    assertEquals(c.text(), template.render(messages, List.of(), true));
    assertEquals(c.text(), qwen25().render(messages, List.of(), true));
  }

  @Test
  void templateInTokenizerConfigIsFoundAndSpecialTokensArePassed(@TempDir Path dir)
      throws IOException {
    Files.writeString(
        dir.resolve("tokenizer_config.json"),
        """
        {"eos_token": "<|im_end|>", "bos_token": {"content": "<s>"},
         "chat_template": [{"name": "tool_use", "template": "tools"},
                           {"name": "default", "template": "{{ bos_token }}{{ messages[0].content }}{{ eos_token }}"}]}
        """);
    assertEquals(
        "<s>hi<|im_end|>",
        ChatTemplate.load(dir).render(List.of(ChatMessage.user("hi")), List.of(), false));
  }

  @Test
  void folderWithoutTemplateIsRefusedWithTheFix(@TempDir Path dir) {
    PolicyException e = assertThrows(PolicyException.class, () -> ChatTemplate.load(dir));
    assertTrue(e.getMessage().contains("has no chat template"), e.getMessage());
    assertTrue(e.getMessage().contains("instruct model"), e.getMessage());
  }

  @Test
  void templateThatRaisesNamesItsMessage() {
    ChatTemplate t =
        ChatTemplate.of(
            "{% if messages[0].role != 'system' %}{{ raise_exception('system first') }}{% endif %}");
    PolicyException e =
        assertThrows(
            PolicyException.class,
            () -> t.render(List.of(ChatMessage.user("x")), List.of(), false));
    assertTrue(e.getMessage().contains("system first"), e.getMessage());
  }

  @Test
  void brokenTemplateIsRefusedWithItsLine() {
    PolicyException e =
        assertThrows(PolicyException.class, () -> ChatTemplate.of("a\n{% if x %}\nno end"));
    assertTrue(e.getMessage().contains("line"), e.getMessage());
  }
}
