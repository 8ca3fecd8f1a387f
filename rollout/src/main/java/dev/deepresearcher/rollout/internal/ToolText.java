package dev.deepresearcher.rollout.internal;

import dev.deepresearcher.browse.Extract;
import dev.deepresearcher.browse.PageResult;
import dev.deepresearcher.search.SearchHit;
import dev.deepresearcher.search.SearchResult;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Tool responses as the policy reads them: plain text, one block per query or URL. Text from the
 * web is defused first: our format's tags and the chat template's special-token markers in a page
 * would otherwise change the conversation's structure (and the reward's format check).
 */
public final class ToolText {
  private static final Pattern TAG =
      Pattern.compile("<(/?)(think|tool_call|tool_response|answer)>", Pattern.CASE_INSENSITIVE);

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private ToolText() {}

  /** {@code web_search}'s response. */
  public static String search(List<String> queries, List<SearchResult> results, int dropped) {
    StringBuilder sb = new StringBuilder();
    for (int q = 0; q < queries.size(); q++) {
      if (q > 0) {
        sb.append('\n');
      }
      SearchResult r = results.get(q);
      sb.append("web_search: ").append(defuse(queries.get(q))).append('\n');
      if (r.error() != null) {
        sb.append("error: ").append(defuse(r.error())).append('\n');
        continue;
      }
      if (r.hits().isEmpty()) {
        sb.append("no results\n");
      }
      int i = 1;
      for (SearchHit h : r.hits()) {
        sb.append(i++)
            .append(". ")
            .append(defuse(h.title()))
            .append('\n')
            .append("url: ")
            .append(defuse(h.url()))
            .append('\n');
        if (!h.snippet().isBlank()) {
          // One line per snippet: a result is three lines, whatever the page's layout.
          sb.append(defuse(WHITESPACE.matcher(h.snippet().strip()).replaceAll(" "))).append('\n');
        }
      }
    }
    if (dropped > 0) {
      sb.append("note: only the first ")
          .append(queries.size())
          .append(" queries were run; ")
          .append(dropped)
          .append(" more were dropped\n");
    }
    return sb.toString().strip();
  }

  /** {@code browse_webpage}'s response. */
  public static String browse(List<PageResult> pages, int dropped) {
    StringBuilder sb = new StringBuilder();
    for (int p = 0; p < pages.size(); p++) {
      if (p > 0) {
        sb.append('\n');
      }
      PageResult page = pages.get(p);
      sb.append("browse_webpage: ").append(defuse(page.url())).append('\n');
      if (page.error() != null) {
        sb.append("error: ").append(defuse(page.error())).append('\n');
        continue;
      }
      if (page.extracts().isEmpty()) {
        sb.append("nothing new and relevant on this page\n");
      }
      for (Extract e : page.extracts()) {
        sb.append("(page ")
            .append(e.pageNumber())
            .append(") ")
            .append(defuse(e.information().strip()))
            .append('\n');
      }
    }
    if (dropped > 0) {
      sb.append("note: only the first ")
          .append(pages.size())
          .append(" URLs were read; ")
          .append(dropped)
          .append(" more were dropped\n");
    }
    return sb.toString().strip();
  }

  /** A malformed call's response. */
  public static String error(String reason) {
    return "error: " + reason;
  }

  /** Cuts {@code text} to {@code max} characters with a note. */
  public static String cap(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    String note = "\n[cut: the response was longer than " + max + " characters]";
    int keep = Math.max(0, max - note.length());
    if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--;
    }
    return text.substring(0, keep) + note;
  }

  /**
   * Web text with our tags written in square brackets ({@code [answer]}) and special-token markers
   * ({@code <|…|>}) broken, so no page can open or close a turn.
   */
  public static String defuse(String s) {
    String out = TAG.matcher(s).replaceAll("[$1$2]");
    return out.replace("<|", "<\u200B|").replace("|>", "|\u200B>");
  }
}
