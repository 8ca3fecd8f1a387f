package dev.deepresearcher.core.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration.
 *
 * @param path the key path, e.g. {@code evaluate.judge.concurrency}; empty for the whole document
 * @param message what is wrong and how to fix it; never contains a secret
 * @param origin where the value came from, e.g. {@code my.yaml:7:16}, {@code override
 *     evaluate.judge.url} or {@code defaults.yaml:12:3}
 */
public record ConfigProblem(String path, String message, String origin) {
  public ConfigProblem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(origin, "origin");
  }

  @Override
  public String toString() {
    String where = origin.isEmpty() ? "" : " (" + origin + ")";
    return (path.isEmpty() ? "<document>" : path) + where + ": " + message;
  }
}
