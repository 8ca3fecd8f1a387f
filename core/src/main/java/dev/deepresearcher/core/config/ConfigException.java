package dev.deepresearcher.core.config;

import dev.deepresearcher.core.DeepResearcherException;
import java.util.List;

/** A configuration that cannot be used; lists every problem found, each with its key path. */
public final class ConfigException extends DeepResearcherException {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigProblem> problems;

  public ConfigException(List<ConfigProblem> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  public ConfigException(List<ConfigProblem> problems, Throwable cause) {
    super(format(problems), cause);
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in document order. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String format(List<ConfigProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    StringBuilder sb = new StringBuilder();
    sb.append("the configuration has ")
        .append(problems.size())
        .append(problems.size() == 1 ? " problem:" : " problems:");
    for (ConfigProblem p : problems) {
      sb.append("\n  - ").append(p);
    }
    return sb.toString();
  }
}
