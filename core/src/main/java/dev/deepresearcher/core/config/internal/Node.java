package dev.deepresearcher.core.config.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration document before binding: YAML's maps, lists and scalars, each remembering where
 * it came from so that problems can point there.
 */
public sealed interface Node {
  /** Where this node was written. */
  Origin origin();

  /** Where a node came from: a file position, or a command-line override. */
  record Origin(String source, int line, int column) {
    /** An origin without a position, e.g. {@code override run.seed}. */
    public static Origin of(String source) {
      return new Origin(source, -1, -1);
    }

    @Override
    public String toString() {
      return line < 0 ? source : source + ":" + line + ":" + column;
    }
  }

  /** A mapping; keys keep their document order. */
  record MapNode(Map<String, Node> entries, Map<String, Origin> keyOrigins, Origin origin)
      implements Node {
    public MapNode {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
      keyOrigins = Collections.unmodifiableMap(new LinkedHashMap<>(keyOrigins));
    }
  }

  /** A sequence. */
  record ListNode(List<Node> items, Origin origin) implements Node {
    public ListNode {
      items = List.copyOf(items);
    }
  }

  /**
   * A scalar as written: {@code text} is {@code null} for YAML's null ({@code null}, {@code ~} or
   * nothing), and {@code quoted} tells {@code "null"} (a string) from {@code null}.
   */
  record ScalarNode(String text, boolean quoted, Origin origin) implements Node {
    /** True for the "must be set" marker {@code ???}, written unquoted. */
    public boolean isMissingMarker() {
      return !quoted && "???".equals(text);
    }
  }

  /**
   * {@code over} laid on {@code base}: maps merge key by key, recursively; anything else in {@code
   * over} replaces what {@code base} had.
   */
  static Node merge(Node base, Node over) {
    if (base instanceof MapNode b && over instanceof MapNode o) {
      Map<String, Node> entries = new LinkedHashMap<>(b.entries());
      Map<String, Origin> keyOrigins = new LinkedHashMap<>(b.keyOrigins());
      for (Map.Entry<String, Node> e : o.entries().entrySet()) {
        Node old = entries.get(e.getKey());
        entries.put(e.getKey(), old == null ? e.getValue() : merge(old, e.getValue()));
        keyOrigins.put(e.getKey(), o.keyOrigins().get(e.getKey()));
      }
      return new MapNode(entries, keyOrigins, o.origin());
    }
    return over;
  }
}
