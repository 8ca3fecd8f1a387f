package dev.deepresearcher.core.config.internal;

import dev.deepresearcher.core.config.ConfigProblem;
import dev.deepresearcher.core.config.internal.Node.ListNode;
import dev.deepresearcher.core.config.internal.Node.MapNode;
import dev.deepresearcher.core.config.internal.Node.Origin;
import dev.deepresearcher.core.config.internal.Node.ScalarNode;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/** Reads YAML text into {@link Node} trees with positions, using SnakeYAML's composer only. */
public final class YamlDocuments {
  private static final Set<String> NULLS = Set.of("null", "Null", "NULL", "~", "");

  private YamlDocuments() {}

  /**
   * Parses one YAML document. An empty document is an empty map.
   *
   * @param source the name used in problems, e.g. the file name
   * @param problems where a syntax error is reported; {@code null} is returned then
   */
  public static Node parse(Reader text, String source, List<ConfigProblem> problems) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(50);
    options.setAllowRecursiveKeys(false);
    try {
      Composer composer =
          new Composer(new ParserImpl(new StreamReader(text), options), new Resolver(), options);
      org.yaml.snakeyaml.nodes.Node root = composer.getSingleNode();
      if (root == null) {
        return new MapNode(Map.of(), Map.of(), Origin.of(source));
      }
      return convert(root, source, problems);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      Origin origin =
          mark == null
              ? Origin.of(source)
              : new Origin(source, mark.getLine() + 1, mark.getColumn() + 1);
      String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
      problems.add(
          new ConfigProblem(
              "", "not valid YAML: " + what.replace('\n', ' ').trim(), origin.toString()));
      return null;
    } catch (YAMLException e) {
      problems.add(new ConfigProblem("", "not valid YAML: " + e.getMessage(), source));
      return null;
    }
  }

  /** Parses the value side of a {@code key=value} override as YAML flow text. */
  public static Node parseValue(String value, String source, List<ConfigProblem> problems) {
    if (value.isEmpty()) {
      return new ScalarNode(null, false, Origin.of(source));
    }
    Node node = parse(new StringReader(value), source, problems);
    if (node == null) {
      return null;
    }
    // Positions inside a one-line value are noise; point at the override instead.
    return relabel(node, Origin.of(source));
  }

  private static Node relabel(Node node, Origin origin) {
    return switch (node) {
      case ScalarNode s -> new ScalarNode(s.text(), s.quoted(), origin);
      case ListNode l -> {
        List<Node> items = new ArrayList<>();
        for (Node item : l.items()) {
          items.add(relabel(item, origin));
        }
        yield new ListNode(items, origin);
      }
      case MapNode m -> {
        Map<String, Node> entries = new LinkedHashMap<>();
        Map<String, Origin> keys = new LinkedHashMap<>();
        m.entries()
            .forEach(
                (k, v) -> {
                  entries.put(k, relabel(v, origin));
                  keys.put(k, origin);
                });
        yield new MapNode(entries, keys, origin);
      }
    };
  }

  private static Node convert(
      org.yaml.snakeyaml.nodes.Node node, String source, List<ConfigProblem> problems) {
    Origin origin = origin(node.getStartMark(), source);
    if (node instanceof MappingNode map) {
      Map<String, Node> entries = new LinkedHashMap<>();
      Map<String, Origin> keyOrigins = new LinkedHashMap<>();
      for (NodeTuple tuple : map.getValue()) {
        org.yaml.snakeyaml.nodes.Node key = tuple.getKeyNode();
        String name =
            key instanceof org.yaml.snakeyaml.nodes.ScalarNode s
                ? s.getValue()
                : String.valueOf(key);
        Origin keyOrigin = origin(key.getStartMark(), source);
        if (entries.containsKey(name)) {
          problems.add(
              new ConfigProblem(
                  name,
                  "duplicate key '" + name + "' (first written at " + keyOrigins.get(name) + ")",
                  keyOrigin.toString()));
        }
        entries.put(name, convert(tuple.getValueNode(), source, problems));
        keyOrigins.put(name, keyOrigin);
      }
      return new MapNode(entries, keyOrigins, origin);
    }
    if (node instanceof SequenceNode seq) {
      List<Node> items = new ArrayList<>();
      for (org.yaml.snakeyaml.nodes.Node item : seq.getValue()) {
        items.add(convert(item, source, problems));
      }
      return new ListNode(items, origin);
    }
    org.yaml.snakeyaml.nodes.ScalarNode scalar = (org.yaml.snakeyaml.nodes.ScalarNode) node;
    boolean quoted = !scalar.isPlain();
    String text = scalar.getValue();
    if (!quoted && (Tag.NULL.equals(scalar.getTag()) || NULLS.contains(text))) {
      text = null;
    }
    return new ScalarNode(text, quoted, origin);
  }

  private static Origin origin(Mark mark, String source) {
    return mark == null
        ? Origin.of(source)
        : new Origin(source, mark.getLine() + 1, mark.getColumn() + 1);
  }
}
