package dev.deepresearcher.rollout;

import java.util.List;
import java.util.Objects;

/**
 * A tool call as the policy wrote it, once understood.
 *
 * @param tool {@code web_search} or {@code browse_webpage}
 * @param arguments the queries or URLs that were run (at most the configured number)
 * @param dropped how many further queries or URLs the call asked for and did not get
 */
public record ToolCall(String tool, List<String> arguments, int dropped) {
  /** The search tool's name. */
  public static final String WEB_SEARCH = "web_search";

  /** The page-reading tool's name. */
  public static final String BROWSE_WEBPAGE = "browse_webpage";

  public ToolCall {
    Objects.requireNonNull(tool, "tool");
    arguments = List.copyOf(arguments);
    if (!tool.equals(WEB_SEARCH) && !tool.equals(BROWSE_WEBPAGE)) {
      throw new IllegalArgumentException(
          "unknown tool " + tool + "; the tools are " + WEB_SEARCH + " and " + BROWSE_WEBPAGE);
    }
    if (arguments.isEmpty() || dropped < 0) {
      throw new IllegalArgumentException("a tool call runs at least one argument");
    }
  }
}
