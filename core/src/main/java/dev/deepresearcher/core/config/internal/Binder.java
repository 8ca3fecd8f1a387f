package dev.deepresearcher.core.config.internal;

import dev.deepresearcher.core.config.ConfigEnum;
import dev.deepresearcher.core.config.ConfigProblem;
import dev.deepresearcher.core.config.Durations;
import dev.deepresearcher.core.config.Nullable;
import dev.deepresearcher.core.config.Range;
import dev.deepresearcher.core.config.SecretEnv;
import dev.deepresearcher.core.config.internal.Node.ListNode;
import dev.deepresearcher.core.config.internal.Node.MapNode;
import dev.deepresearcher.core.config.internal.Node.Origin;
import dev.deepresearcher.core.config.internal.Node.ScalarNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Binds a merged {@link Node} tree to immutable records, collecting every problem instead of
 * stopping at the first. Keys are the records' component names in snake_case.
 *
 * <p>Supported component types: records, {@code String}, {@code int}, {@code long}, {@code double},
 * {@code boolean} (and their boxes), enums (preferably {@link ConfigEnum}), {@link Path} ({@code ~}
 * expanded), {@link Duration} ({@code 30s}), {@link URI} (http or https), {@link SecretEnv}, {@code
 * List<T>} and {@code Map<String, T>}.
 */
public final class Binder {
  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i).*(api_?key|token|secret|password|passwd|credential).*");

  private final List<ConfigProblem> problems;
  private final Map<String, List<String>> pathsByLeaf = new TreeMap<>();

  /**
   * @param root the root record type, whose key paths are indexed for "did you mean" elsewhere
   * @param problems where problems are collected
   */
  public Binder(Class<? extends Record> root, List<ConfigProblem> problems) {
    this.problems = problems;
    index(root, "");
  }

  /** Binds {@code node} to {@code type}; {@code null} if any problem was found on the way. */
  public <T extends Record> T bind(Class<T> type, Node node) {
    Object value = bind(type, node, "", false, null, node.origin());
    return type.cast(value);
  }

  private Object bind(
      Type type, Node node, String path, boolean nullable, Range range, Origin parentOrigin) {
    Class<?> raw = rawClass(type);
    if (node == null) {
      if (nullable || isCollection(raw)) {
        return nullable ? null : emptyCollection(raw);
      }
      problem(
          path,
          "missing required value; set it in your YAML or with " + path + "=<value>",
          parentOrigin);
      return null;
    }
    if (node instanceof ScalarNode s) {
      if (s.isMissingMarker()) {
        problem(
            path,
            "missing required value (still '???'); set it in your YAML or with "
                + path
                + "=<value>",
            s.origin());
        return null;
      }
      if (s.text() == null) {
        if (nullable || isCollection(raw)) {
          return nullable ? null : emptyCollection(raw);
        }
        problem(path, "must be set; null is not allowed here", s.origin());
        return null;
      }
    }
    if (raw.isRecord() && raw != SecretEnv.class) {
      return bindRecord(raw, node, path);
    }
    if (raw == List.class) {
      return bindList(((ParameterizedType) type).getActualTypeArguments()[0], node, path);
    }
    if (raw == Map.class) {
      Type[] args = ((ParameterizedType) type).getActualTypeArguments();
      if (args[0] != String.class) {
        throw new IllegalStateException("config maps need String keys: " + type);
      }
      return bindMap(args[1], node, path);
    }
    if (!(node instanceof ScalarNode scalar)) {
      problem(path, "expected " + describe(raw) + ", got " + shape(node), node.origin());
      return null;
    }
    Object value = bindScalar(raw, scalar, path);
    if (value != null && range != null) {
      checkRange(((Number) value).doubleValue(), range, path, scalar);
    }
    return value;
  }

  private Object bindRecord(Class<?> type, Node node, String path) {
    if (!(node instanceof MapNode map)) {
      problem(
          path,
          "expected a section with keys "
              + String.join(", ", keysOf(type))
              + ", got "
              + shape(node),
          node.origin());
      return null;
    }
    RecordComponent[] components = type.getRecordComponents();
    Map<String, RecordComponent> byKey = new LinkedHashMap<>();
    for (RecordComponent c : components) {
      byKey.put(snake(c.getName()), c);
    }
    int before = problems.size();
    for (Map.Entry<String, Node> e : map.entries().entrySet()) {
      if (!byKey.containsKey(e.getKey())) {
        unknownKey(e.getKey(), byKey.keySet(), path, map.keyOrigins().get(e.getKey()));
      }
    }
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      String key = snake(c.getName());
      args[i] =
          bind(
              c.getGenericType(),
              map.entries().get(key),
              join(path, key),
              c.isAnnotationPresent(Nullable.class),
              c.getAnnotation(Range.class),
              map.origin());
    }
    if (problems.size() > before) {
      return null;
    }
    try {
      Constructor<?> ctor =
          type.getDeclaredConstructor(
              Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
      ctor.setAccessible(true);
      return ctor.newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
        problem(path, cause.getMessage(), map.origin());
        return null;
      }
      throw new IllegalStateException("building " + type.getSimpleName() + " failed", cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build config record " + type.getName(), e);
    }
  }

  private List<Object> bindList(Type itemType, Node node, String path) {
    List<Node> items;
    if (node instanceof ListNode list) {
      items = list.items();
    } else if (node instanceof ScalarNode) {
      items = List.of(node); // one value where a list is expected: a list of one
    } else {
      problem(path, "expected a list, got " + shape(node), node.origin());
      return null;
    }
    List<Object> out = new ArrayList<>();
    int before = problems.size();
    for (int i = 0; i < items.size(); i++) {
      out.add(bind(itemType, items.get(i), path + "[" + i + "]", false, null, node.origin()));
    }
    return problems.size() > before ? null : Collections.unmodifiableList(out);
  }

  private Map<String, Object> bindMap(Type valueType, Node node, String path) {
    if (!(node instanceof MapNode map)) {
      problem(path, "expected a map of names to values, got " + shape(node), node.origin());
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    int before = problems.size();
    for (Map.Entry<String, Node> e : map.entries().entrySet()) {
      out.put(
          e.getKey(),
          bind(valueType, e.getValue(), join(path, e.getKey()), false, null, map.origin()));
    }
    return problems.size() > before ? null : Collections.unmodifiableMap(out);
  }

  private Object bindScalar(Class<?> type, ScalarNode scalar, String path) {
    String text = scalar.text();
    String t = text.trim();
    try {
      if (type == String.class) {
        return text;
      }
      if (type == int.class || type == Integer.class) {
        long v = Long.parseLong(t.replace("_", ""));
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
          problem(path, "expected an integer, got '" + text + "' (too large)", scalar.origin());
          return null;
        }
        return (int) v;
      }
      if (type == long.class || type == Long.class) {
        return Long.parseLong(t.replace("_", ""));
      }
      if (type == double.class || type == Double.class) {
        double v = Double.parseDouble(t.replace("_", ""));
        if (Double.isNaN(v) || Double.isInfinite(v)) {
          throw new NumberFormatException();
        }
        return v;
      }
      if (type == boolean.class || type == Boolean.class) {
        if (t.equalsIgnoreCase("true")) {
          return true;
        }
        if (t.equalsIgnoreCase("false")) {
          return false;
        }
        problem(path, "expected true or false, got '" + text + "'", scalar.origin());
        return null;
      }
      if (type == Path.class) {
        if (t.isEmpty()) {
          problem(path, "expected a file or folder path, got an empty string", scalar.origin());
          return null;
        }
        return expandHome(t);
      }
      if (type == Duration.class) {
        return Durations.parse(t);
      }
      if (type == URI.class) {
        return httpUri(t, path, scalar);
      }
      if (type == SecretEnv.class) {
        return new SecretEnv(t, path);
      }
      if (type.isEnum()) {
        return bindEnum(type, t, path, scalar);
      }
    } catch (NumberFormatException e) {
      problem(path, "expected " + describe(type) + ", got '" + text + "'", scalar.origin());
      return null;
    } catch (IllegalArgumentException e) {
      problem(path, e.getMessage(), scalar.origin());
      return null;
    }
    throw new IllegalStateException("unsupported config type " + type.getName() + " at " + path);
  }

  private Object bindEnum(Class<?> type, String text, String path, ScalarNode scalar) {
    String wanted = text.toLowerCase(Locale.ROOT).replace('_', '-');
    List<String> names = new ArrayList<>();
    for (Object constant : type.getEnumConstants()) {
      String name = configName((Enum<?>) constant);
      if (name.equals(wanted)) {
        return constant;
      }
      names.add(name);
    }
    String hint =
        Suggestions.closest(text, names).map(s -> "did you mean '" + s + "'? ").orElse("");
    problem(
        path,
        "unknown value '" + text + "'; " + hint + "choose one of: " + String.join(", ", names),
        scalar.origin());
    return null;
  }

  private URI httpUri(String text, String path, ScalarNode scalar) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (uri == null
        || uri.getHost() == null
        || !("http".equalsIgnoreCase(uri.getScheme())
            || "https".equalsIgnoreCase(uri.getScheme()))) {
      problem(
          path,
          "expected an http(s) URL such as https://api.openai.com/v1, got '"
              + (uri != null && uri.getUserInfo() != null ? "<url with credentials>" : text)
              + "'",
          scalar.origin());
      return null;
    }
    if (uri.getUserInfo() != null) {
      problem(
          path,
          "the URL carries credentials; put secrets in an environment variable named by a *_env key"
              + " instead",
          scalar.origin());
      return null;
    }
    return uri;
  }

  private void checkRange(double v, Range range, String path, ScalarNode scalar) {
    if (v >= range.min() && v <= range.max()) {
      return;
    }
    String rule;
    if (Double.isInfinite(range.max())) {
      rule = "at least " + number(range.min());
    } else if (Double.isInfinite(range.min())) {
      rule = "at most " + number(range.max());
    } else {
      rule = "between " + number(range.min()) + " and " + number(range.max());
    }
    problem(path, "must be " + rule + ", got " + scalar.text().trim(), scalar.origin());
  }

  private void unknownKey(String key, Set<String> siblings, String path, Origin origin) {
    String full = join(path, key);
    String message;
    Optional<String> envSibling = siblings.stream().filter(s -> s.endsWith("_env")).findFirst();
    if (SECRET_KEY.matcher(key).matches() && !key.endsWith("_env")) {
      message =
          "secrets are never read from YAML or the command line; put the secret in an environment"
              + " variable and name that variable"
              + envSibling.map(s -> " with '" + join(path, s) + "'").orElse(" under a *_env key");
    } else {
      Optional<String> close = Suggestions.closest(key, siblings);
      if (close.isPresent()) {
        message = "unknown key '" + key + "'; did you mean '" + close.get() + "'?";
      } else if (pathsByLeaf.containsKey(key)) {
        message =
            "unknown key '"
                + key
                + "' here; did you mean '"
                + String.join("' or '", pathsByLeaf.get(key))
                + "'?";
      } else {
        message =
            "unknown key '"
                + key
                + "'; the keys "
                + (path.isEmpty() ? "at the top level" : "under " + path)
                + " are: "
                + String.join(", ", siblings);
      }
    }
    problem(full, message, origin);
  }

  private void problem(String path, String message, Origin origin) {
    problems.add(new ConfigProblem(path, message, origin == null ? "" : origin.toString()));
  }

  private void index(Class<?> type, String path) {
    for (RecordComponent c : type.getRecordComponents()) {
      String key = snake(c.getName());
      String full = join(path, key);
      pathsByLeaf.computeIfAbsent(key, k -> new ArrayList<>()).add(full);
      if (c.getType().isRecord() && c.getType() != SecretEnv.class) {
        index(c.getType(), full);
      }
    }
  }

  private static List<String> keysOf(Class<?> record) {
    List<String> keys = new ArrayList<>();
    for (RecordComponent c : record.getRecordComponents()) {
      keys.add(snake(c.getName()));
    }
    return keys;
  }

  static String configName(Enum<?> constant) {
    return constant instanceof ConfigEnum ce
        ? ce.configName()
        : constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** {@code maxBackoff} → {@code max_backoff}. */
  public static String snake(String camel) {
    StringBuilder sb = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char ch = camel.charAt(i);
      if (Character.isUpperCase(ch)) {
        sb.append('_').append(Character.toLowerCase(ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  static Path expandHome(String text) {
    if (text.equals("~")) {
      return Path.of(System.getProperty("user.home"));
    }
    if (text.startsWith("~/")) {
      return Path.of(System.getProperty("user.home"), text.substring(2));
    }
    return Path.of(text);
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Lists and maps read an absent or null value as empty. */
  private static boolean isCollection(Class<?> raw) {
    return raw == List.class || raw == Map.class;
  }

  private static Object emptyCollection(Class<?> raw) {
    return raw == List.class ? List.of() : Map.of();
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalStateException("unsupported config type " + type);
  }

  private static String describe(Class<?> type) {
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == Duration.class) {
      return "a duration such as 30s";
    }
    if (type == Path.class) {
      return "a path";
    }
    if (type == URI.class) {
      return "a URL";
    }
    if (type.isEnum()) {
      return "one of the listed choices";
    }
    return "a string";
  }

  private static String shape(Node node) {
    return switch (node) {
      case MapNode m -> "a section (keys: " + String.join(", ", m.entries().keySet()) + ")";
      case ListNode l -> "a list of " + l.items().size();
      case ScalarNode s -> "'" + s.text() + "'";
    };
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
