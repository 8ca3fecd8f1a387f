package dev.deepresearcher.browse.internal;

import dev.deepresearcher.core.data.ChatMessage;
import dev.deepresearcher.core.llm.ChatClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The paper's reading agent: an LLM reads a document page by page, given the question, the search
 * that found the page, what it extracted so far and "page i of n"; each reply holds the new
 * relevant information, whether to read on, and a short summary. Reading stops at "no", at the last
 * page or at {@code max_pages}; it never reads a page twice.
 */
public final class LlmReader implements PageReader {
  private static final Pattern NOTHING =
      Pattern.compile("(?i)^\\W*(none|nothing|n/?a|no (new |relevant )?information[^\\n]*)\\W*$");

  private final ChatClient client;
  private final int unparseableRetries;

  public LlmReader(ChatClient client, int unparseableRetries) {
    this.client = client;
    this.unparseableRetries = unparseableRetries;
  }

  /** One reply, parsed. */
  record Reply(String information, boolean readMore, String summary) {}

  static String prompt(
      String question,
      String subQuestion,
      String url,
      String memory,
      int page,
      int pages,
      String content) {
    return """
        You are reading a web page for a researcher, one page of text at a time.

        The researcher's question: %s
        What the researcher searched for when this page came up: %s
        What you have already extracted from earlier pages of this document:
        %s

        This is page %d of %d of %s:
        <page>
        %s
        </page>

        Extract the information on this page that helps answer the question or the search and that \
        is not already in what you extracted. Quote facts, names, dates and numbers exactly. Then \
        decide whether the next page is likely to hold more such information.
        Reply in exactly this form:
        <extracted_info>the new relevant information, or "nothing"</extracted_info>
        <read_more>yes or no</read_more>
        <summary>one or two sentences on what this page is about</summary>
        """
        .formatted(
            question,
            subQuestion.isBlank() ? "(not given)" : subQuestion,
            memory.isBlank() ? "(nothing yet)" : memory,
            page,
            pages,
            url,
            content);
  }

  /** The reply's tags, read leniently; empty when it has none of them. */
  static Optional<Reply> parse(String reply) {
    String info = tag(reply, "extracted_info");
    String more = tag(reply, "read_more");
    String summary = tag(reply, "summary");
    if (info == null && more == null) {
      return Optional.empty();
    }
    String information = info == null ? "" : info.strip();
    if (NOTHING.matcher(information).matches()) {
      information = "";
    }
    boolean readMore = more != null && more.toLowerCase(Locale.ROOT).contains("yes");
    return Optional.of(new Reply(information, readMore, summary == null ? "" : summary.strip()));
  }

  /** Text of {@code <name>…</name>}; a missing closing tag ends at the next tag or the end. */
  private static String tag(String reply, String name) {
    Matcher open = Pattern.compile("(?i)<\\s*" + name + "\\s*>").matcher(reply);
    if (!open.find()) {
      return null;
    }
    int start = open.end();
    Matcher close = Pattern.compile("(?i)<\\s*/\\s*" + name + "\\s*>").matcher(reply);
    if (close.find(start)) {
      return reply.substring(start, close.start());
    }
    Matcher anyTag =
        Pattern.compile("(?i)<\\s*/?\\s*(extracted_info|read_more|summary)\\s*>").matcher(reply);
    return anyTag.find(start) ? reply.substring(start, anyTag.start()) : reply.substring(start);
  }

  @Override
  public List<Found> read(
      String question, String subQuestion, String url, List<String> pages, int maxPages) {
    List<Found> found = new ArrayList<>();
    StringBuilder memory = new StringBuilder();
    int last = Math.min(pages.size(), maxPages);
    for (int i = 0; i < last; i++) {
      String prompt =
          prompt(question, subQuestion, url, memory.toString(), i + 1, pages.size(), pages.get(i));
      Optional<Reply> reply = Optional.empty();
      for (int attempt = 0; attempt <= unparseableRetries && reply.isEmpty(); attempt++) {
        reply = parse(client.complete(List.of(ChatMessage.user(prompt))).content());
      }
      if (reply.isEmpty()) {
        break; // the reader keeps answering in no known form: stop here
      }
      if (!reply.get().information().isEmpty()) {
        found.add(new Found(i + 1, reply.get().information()));
        memory.append(reply.get().information()).append("\n\n");
      }
      if (!reply.get().readMore()) {
        break;
      }
    }
    return found;
  }
}
