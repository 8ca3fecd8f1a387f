package dev.deepresearcher.browse;

import java.util.List;
import java.util.Objects;

/**
 * The outcome for one URL: extracts, or an error that says why there are none.
 *
 * @param url the URL as requested
 * @param extracts what the reader found, in page order; empty on error or when nothing was relevant
 * @param error {@code null} on success, else a message for the policy and the logs
 */
public record PageResult(String url, List<Extract> extracts, String error) {
  public PageResult {
    Objects.requireNonNull(url, "url");
    extracts = List.copyOf(extracts);
  }

  public static PageResult failed(String url, String error) {
    return new PageResult(url, List.of(), Objects.requireNonNull(error, "error"));
  }

  public boolean ok() {
    return error == null;
  }
}
