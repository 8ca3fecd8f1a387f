package dev.deepresearcher.policy.internal.jinja;

import dev.deepresearcher.core.text.PythonRepr;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Python semantics for template values: {@code None} is null, ints are {@link Long}, floats {@link
 * Double}, lists {@link List}, dicts {@link Map} (insertion-ordered), tuples {@link Tuple}, and
 * {@link Undefined} stands for a missing name or key. Truthiness, equality, ordering, {@code
 * str()}, {@code repr()} and {@code json.dumps(ensure_ascii=False)} as Python has them.
 */
final class Py {
  private Py() {}

  /** A missing value: falsy, prints as nothing, fails when you reach into it. */
  record Undefined(String name) {
    @Override
    public String toString() {
      return "";
    }
  }

  /** An immutable sequence that prints with parentheses. */
  record Tuple(List<Object> items) {}

  static boolean truthy(Object v) {
    return switch (v) {
      case null -> false;
      case Undefined u -> false;
      case Boolean b -> b;
      case Long l -> l != 0;
      case Double d -> d != 0.0;
      case String s -> !s.isEmpty();
      case List<?> l -> !l.isEmpty();
      case Map<?, ?> m -> !m.isEmpty();
      case Tuple t -> !t.items().isEmpty();
      default -> true;
    };
  }

  /** Python's {@code str()}. */
  static String str(Object v) {
    return switch (v) {
      case null -> "None";
      case Undefined u -> "";
      case String s -> s;
      case Boolean b -> b ? "True" : "False";
      case Long l -> l.toString();
      case Double d -> floatRepr(d);
      default -> repr(v);
    };
  }

  /** Python's {@code repr()}. */
  static String repr(Object v) {
    StringBuilder sb = new StringBuilder();
    repr(v, sb);
    return sb.toString();
  }

  private static void repr(Object v, StringBuilder sb) {
    switch (v) {
      case null -> sb.append("None");
      case Undefined u -> sb.append("Undefined");
      case String s -> PythonRepr.append(sb, s);
      case Boolean b -> sb.append(b ? "True" : "False");
      case Long l -> sb.append(l);
      case Double d -> sb.append(floatRepr(d));
      case List<?> list -> {
        sb.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            sb.append(", ");
          }
          repr(list.get(i), sb);
        }
        sb.append(']');
      }
      case Tuple t -> {
        sb.append('(');
        for (int i = 0; i < t.items().size(); i++) {
          if (i > 0) {
            sb.append(", ");
          }
          repr(t.items().get(i), sb);
        }
        sb.append(t.items().size() == 1 ? ",)" : ")");
      }
      case Map<?, ?> map -> {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (!first) {
            sb.append(", ");
          }
          first = false;
          repr(e.getKey(), sb);
          sb.append(": ");
          repr(e.getValue(), sb);
        }
        sb.append('}');
      }
      default -> sb.append(v);
    }
  }

  /** Python's float repr: shortest round-trip digits, exponent below 1e-4 or from 1e16. */
  static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    // Java's Double.toString gives the shortest round-trip digits (JDK 19+); reformat them.
    BigDecimal bd = new BigDecimal(Double.toString(d));
    String digits = bd.unscaledValue().abs().toString();
    int trailing = 0;
    while (digits.length() - trailing > 1 && digits.charAt(digits.length() - 1 - trailing) == '0') {
      trailing++;
    }
    digits = digits.substring(0, digits.length() - trailing);
    int exponent =
        digits.length() - 1 - bd.scale() + trailing; // decimal exponent of the first digit
    String sign = d < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 16) {
      String mantissa =
          digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign
          + mantissa
          + "e"
          + (exponent < 0 ? "-" : "+")
          + String.format("%02d", Math.abs(exponent));
    }
    if (exponent < 0) {
      return sign + "0." + "0".repeat(-exponent - 1) + digits;
    }
    if (digits.length() <= exponent + 1) {
      return sign + digits + "0".repeat(exponent + 1 - digits.length()) + ".0";
    }
    return sign + digits.substring(0, exponent + 1) + "." + digits.substring(exponent + 1);
  }

  /** {@code json.dumps(v, ensure_ascii=False, indent=indent, sort_keys=sortKeys)}. */
  static String json(Object v, Integer indent, boolean sortKeys) {
    StringBuilder sb = new StringBuilder();
    json(v, indent, sortKeys, 0, sb);
    return sb.toString();
  }

  private static void json(
      Object v, Integer indent, boolean sortKeys, int depth, StringBuilder sb) {
    switch (v) {
      case null -> sb.append("null");
      case Undefined u ->
          throw new TemplateException("Object of type Undefined is not JSON serializable");
      case Boolean b -> sb.append(b ? "true" : "false");
      case Long l -> sb.append(l);
      case Double d ->
          sb.append(
              Double.isNaN(d)
                  ? "NaN"
                  : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : floatRepr(d));
      case String s -> jsonString(s, sb);
      case Tuple t -> json(t.items(), indent, sortKeys, depth, sb);
      case List<?> list -> {
        if (list.isEmpty()) {
          sb.append("[]");
          return;
        }
        sb.append('[');
        for (int i = 0; i < list.size(); i++) {
          sb.append(i > 0 ? (indent == null ? ", " : ",") : "");
          newline(indent, depth + 1, sb);
          json(list.get(i), indent, sortKeys, depth + 1, sb);
        }
        newline(indent, depth, sb);
        sb.append(']');
      }
      case Map<?, ?> map -> {
        if (map.isEmpty()) {
          sb.append("{}");
          return;
        }
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        if (sortKeys) {
          entries.sort((a, b) -> str(a.getKey()).compareTo(str(b.getKey())));
        }
        sb.append('{');
        for (int i = 0; i < entries.size(); i++) {
          sb.append(i > 0 ? (indent == null ? ", " : ",") : "");
          newline(indent, depth + 1, sb);
          Object key = entries.get(i).getKey();
          jsonString(key instanceof String s ? s : str(key), sb);
          sb.append(": ");
          json(entries.get(i).getValue(), indent, sortKeys, depth + 1, sb);
        }
        newline(indent, depth, sb);
        sb.append('}');
      }
      default ->
          throw new TemplateException(
              "Object of type " + v.getClass().getSimpleName() + " is not JSON serializable");
    }
  }

  private static void newline(Integer indent, int depth, StringBuilder sb) {
    if (indent != null) {
      sb.append('\n').append(" ".repeat(indent * depth));
    }
  }

  private static void jsonString(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** Python's {@code ==}: 1 == 1.0, deep equality of lists and dicts. */
  static boolean eq(Object a, Object b) {
    if (a instanceof Number x
        && b instanceof Number y
        && !(a instanceof Boolean)
        && !(b instanceof Boolean)) {
      return x.doubleValue() == y.doubleValue();
    }
    if (a instanceof Boolean x && b instanceof Number y) {
      return (x ? 1 : 0) == y.doubleValue();
    }
    if (b instanceof Boolean && a instanceof Number) {
      return eq(b, a);
    }
    if (a instanceof Tuple t) {
      a = t.items();
    }
    if (b instanceof Tuple t) {
      b = t.items();
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!eq(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Undefined || b instanceof Undefined) {
      return a instanceof Undefined && b instanceof Undefined;
    }
    return Objects.equals(a, b);
  }

  /** Python's ordering of numbers, strings and sequences. */
  static int compare(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    if (a instanceof Boolean x && b instanceof Boolean y) {
      return Boolean.compare(x, y);
    }
    if (a instanceof String x && b instanceof String y) {
      return x.compareTo(y);
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
        int c = compare(x.get(i), y.get(i));
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(x.size(), y.size());
    }
    throw new TemplateException("'<' not supported between " + typeName(a) + " and " + typeName(b));
  }

  static String typeName(Object v) {
    return switch (v) {
      case null -> "NoneType";
      case String s -> "str";
      case Long l -> "int";
      case Double d -> "float";
      case Boolean b -> "bool";
      case List<?> l -> "list";
      case Map<?, ?> m -> "dict";
      case Tuple t -> "tuple";
      case Undefined u -> "Undefined";
      default -> v.getClass().getSimpleName();
    };
  }

  /** Items of something iterable: list, tuple, dict keys, string characters. */
  static Iterable<?> iterate(Object v) {
    return switch (v) {
      case null -> throw new TemplateException("'NoneType' object is not iterable");
      case Undefined u -> List.of();
      case List<?> l -> l;
      case Tuple t -> t.items();
      case Map<?, ?> m -> m.keySet();
      case String s ->
          () ->
              new Iterator<Object>() {
                int i;

                @Override
                public boolean hasNext() {
                  return i < s.length();
                }

                @Override
                public Object next() {
                  int cp = s.codePointAt(i);
                  i += Character.charCount(cp);
                  return new String(Character.toChars(cp));
                }
              };
      default -> throw new TemplateException("'" + typeName(v) + "' object is not iterable");
    };
  }

  static List<Object> list(Object v) {
    List<Object> out = new ArrayList<>();
    for (Object o : iterate(v)) {
      out.add(o);
    }
    return out;
  }
}
