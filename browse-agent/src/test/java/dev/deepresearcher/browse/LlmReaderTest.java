package dev.deepresearcher.browse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.testing.MockChatServer;
import dev.deepresearcher.core.testing.MockChatServer.Reply;
import dev.deepresearcher.core.testing.MockHttpServer;
import dev.deepresearcher.core.testing.MockHttpServer.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The LLM reader against a local chat endpoint with scripted replies. */
class LlmReaderTest {
  /** A document of five paragraphs of about 830 characters: five pages of at most 1,000. */
  private static final String DOC;

  static {
    StringBuilder sb = new StringBuilder("<html><body>");
    for (int p = 1; p <= 5; p++) {
      sb.append("<p>Section ")
          .append(p)
          .append(": ")
          .append("facts about topic ")
          .append(p)
          .append(" and more".repeat(90))
          .append("</p>");
    }
    DOC = sb.append("</body></html>").toString();
  }

  private static List<PageResult> read(
      MockChatServer chat, MockHttpServer web, String... overrides) {
    List<String> all =
        new java.util.ArrayList<>(
            List.of(
                "browse.allow_hosts=[127.0.0.1/32]",
                "browse.page_chars=1000",
                "browse.reader.url=" + chat.baseUrl(),
                "browse.reader.initial_backoff=1ms",
                "browse.reader.max_backoff=5ms"));
    all.addAll(List.of(overrides));
    try (BrowseAgent agent =
        BrowseAgent.create(
            BrowseAgentTest.config(all.toArray(String[]::new)),
            Map.of("OPENAI_API_KEY", "sk-reader"),
            null,
            List.of())) {
      String url = web.url() + "/doc";
      return agent.browse(
          new BrowseRequest(
              "What does section 2 say?", "topic 2 facts", List.of(url), List.of(url), List.of()));
    }
  }

  private static int pageOf(String prompt) {
    int i = prompt.indexOf("This is page ");
    return Integer.parseInt(prompt.substring(i + 13, prompt.indexOf(' ', i + 13)));
  }

  private static PageResult run(
      Function<MockChatServer.Received, Reply> script, String... overrides) {
    try (MockChatServer chat = new MockChatServer(script);
        MockHttpServer web = new MockHttpServer(r -> Response.of(200, "text/html", DOC))) {
      return read(chat, web, overrides).get(0);
    }
  }

  @Test
  void theReaderReadsOnUntilItSaysNoCarryingWhatItFound() {
    AtomicInteger calls = new AtomicInteger();
    StringBuilder secondPrompt = new StringBuilder();
    PageResult r =
        run(
            req -> {
              calls.incrementAndGet();
              int page = pageOf(req.lastMessage());
              if (page == 2) {
                secondPrompt.append(req.lastMessage());
              }
              return switch (page) {
                case 1 ->
                    Reply.content(
                        "<extracted_info>nothing</extracted_info><read_more>yes</read_more><summary>intro</summary>");
                case 2 ->
                    Reply.content(
                        "<extracted_info>Section 2 covers topic 2.</extracted_info>\n<read_more>yes</read_more>\n<summary>s2</summary>");
                default ->
                    Reply.content(
                        "<extracted_info>Topic 3 relates to topic 2.</extracted_info><read_more>no</read_more><summary>s3</summary>");
              };
            });
    assertEquals(null, r.error());
    assertEquals(3, calls.get(), "stopped after the reader said no");
    assertEquals(List.of(2, 3), r.extracts().stream().map(Extract::pageNumber).toList());
    assertEquals("Section 2 covers topic 2.", r.extracts().get(0).information());
    assertTrue(
        secondPrompt.toString().contains("This is page 2 of 5 of http://127.0.0.1:"),
        secondPrompt.toString());
    assertTrue(
        secondPrompt
            .toString()
            .contains("What the researcher searched for when this page came up: topic 2 facts"));
  }

  @Test
  void aReaderThatAlwaysReadsOnStopsAtTheLastPageAndTheLimit() {
    AtomicInteger calls = new AtomicInteger();
    Function<MockChatServer.Received, Reply> always =
        req -> {
          calls.incrementAndGet();
          return Reply.content(
              "<extracted_info>more from page "
                  + pageOf(req.lastMessage())
                  + "</extracted_info><read_more>yes</read_more>");
        };
    PageResult all = run(always);
    assertEquals(5, calls.get(), "five pages, five requests: never the last page twice");
    assertEquals(5, all.extracts().size());
    calls.set(0);
    run(always, "browse.max_pages=2");
    assertEquals(2, calls.get());
  }

  @Test
  void malformedRepliesAreRetriedThenReadingStops() {
    AtomicInteger calls = new AtomicInteger();
    PageResult r =
        run(
            req -> {
              calls.incrementAndGet();
              return Reply.content("I think this page is about topics. Moving on!");
            });
    assertEquals(null, r.error());
    assertEquals(List.of(), r.extracts());
    assertEquals(2, calls.get(), "one try and one retry for the first page, then stop");
  }

  @Test
  void unclosedTagsAreReadLeniently() {
    PageResult r = run(req -> Reply.content("<EXTRACTED_INFO>Topic 2 is blue.\n<read_more>no"));
    assertEquals("Topic 2 is blue.", r.extracts().get(0).information());
  }

  @Test
  void rateLimitsAndServerErrorsAreRetried() {
    AtomicInteger calls = new AtomicInteger();
    PageResult r =
        run(
            req ->
                switch (calls.incrementAndGet()) {
                  case 1 -> Reply.rateLimited(0);
                  case 2 -> Reply.error(500, "boom");
                  default ->
                      Reply.content(
                          "<extracted_info>Topic 2.</extracted_info><read_more>no</read_more>");
                });
    assertEquals("Topic 2.", r.extracts().get(0).information());
    assertEquals(3, calls.get());
  }

  @Test
  void aReaderThatCannotBeUsedFailsThePageWithAReason() {
    PageResult r = run(req -> Reply.error(401, "Incorrect API key provided"));
    assertTrue(r.error().startsWith("the page reader failed: "), r.error());
    assertTrue(r.error().contains("401"), r.error());
  }
}
