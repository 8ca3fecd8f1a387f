package dev.deepresearcher.policy.internal.jinja;

import dev.deepresearcher.policy.internal.jinja.Interpreter.PyCallable;
import dev.deepresearcher.policy.internal.jinja.Py.Tuple;
import dev.deepresearcher.policy.internal.jinja.Py.Undefined;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/** Attribute and item access, operators, filters, tests and Python methods of template values. */
final class Builtins {
  private static final Set<String> UNSAFE_METHODS =
      Set.of(
          "append",
          "extend",
          "insert",
          "pop",
          "remove",
          "clear",
          "update",
          "setdefault",
          "popitem",
          "sort",
          "reverse");

  private Builtins() {}

  // ---- access ----

  /**
   * {@code obj.name}: a method of str/dict/list if it has one, else the dict key; else undefined.
   */
  static Object attribute(Object obj, String name, int line) {
    if (obj instanceof Undefined u) {
      throw new TemplateException(
          "line " + line + ": '" + u.name() + "' is undefined (reading ." + name + ")");
    }
    PyCallable method = method(obj, name, line);
    if (method != null) {
      return method;
    }
    if (obj instanceof Map<?, ?> m) {
      return m.containsKey(name) ? m.get(name) : new Undefined(name);
    }
    return new Undefined(name);
  }

  /**
   * {@code obj[key]}: a dict key or list/str index (negative counts from the end); else undefined.
   */
  static Object item(Object obj, Object key, int line) {
    if (obj instanceof Undefined u) {
      throw new TemplateException(
          "line " + line + ": '" + u.name() + "' is undefined (reading [" + Py.repr(key) + "])");
    }
    if (obj instanceof Map<?, ?> m) {
      return m.containsKey(key)
          ? m.get(key)
          : key instanceof String s ? attribute(obj, s, line) : new Undefined(Py.str(key));
    }
    List<Object> seq =
        obj instanceof Tuple t ? t.items() : obj instanceof List<?> l ? cast(l) : null;
    if (key instanceof Long i) {
      if (seq != null) {
        long idx = i < 0 ? seq.size() + i : i;
        return idx >= 0 && idx < seq.size() ? seq.get((int) idx) : new Undefined("[" + i + "]");
      }
      if (obj instanceof String s) {
        List<Object> chars = Py.list(s);
        long idx = i < 0 ? chars.size() + i : i;
        return idx >= 0 && idx < chars.size() ? chars.get((int) idx) : new Undefined("[" + i + "]");
      }
    }
    if (key instanceof String s) {
      return attribute(obj, s, line);
    }
    return new Undefined(Py.str(key));
  }

  @SuppressWarnings("unchecked")
  private static List<Object> cast(List<?> l) {
    return (List<Object>) l;
  }

  /** Python slicing of lists, tuples and strings. */
  static Object slice(Object obj, Object start, Object stop, Object step) {
    List<Object> seq = Py.list(obj);
    int n = seq.size();
    int st = step == null ? 1 : (int) number(step, 1).longValue();
    if (st == 0) {
      throw new TemplateException("slice step cannot be zero");
    }
    int lo;
    int hi;
    if (st > 0) {
      lo = start == null ? 0 : clampIndex((int) number(start, 0).longValue(), n, 0, n);
      hi = stop == null ? n : clampIndex((int) number(stop, 0).longValue(), n, 0, n);
    } else {
      lo = start == null ? n - 1 : clampIndex((int) number(start, 0).longValue(), n, -1, n - 1);
      hi = stop == null ? -1 : clampIndex((int) number(stop, 0).longValue(), n, -1, n - 1);
    }
    List<Object> out = new ArrayList<>();
    for (int i = lo; st > 0 ? i < hi : i > hi; i += st) {
      out.add(seq.get(i));
    }
    if (obj instanceof String) {
      StringBuilder sb = new StringBuilder();
      out.forEach(c -> sb.append(c));
      return sb.toString();
    }
    return obj instanceof Tuple ? new Tuple(out) : out;
  }

  private static int clampIndex(int i, int n, int min, int max) {
    int idx = i < 0 ? i + n : i;
    return Math.max(min, Math.min(max, idx));
  }

  static Number number(Object v, int line) {
    if (v instanceof Boolean b) {
      return b ? 1L : 0L;
    }
    if (v instanceof Number n) {
      return n;
    }
    throw new TemplateException("line " + line + ": expected a number, got " + Py.typeName(v));
  }

  // ---- operators ----

  static Object binary(String op, Object a, Object b, int line) {
    switch (op) {
      case "~" -> {
        return Py.str(a) + Py.str(b);
      }
      case "+" -> {
        if (a instanceof String x && b instanceof String y) {
          return x + y;
        }
        if ((a instanceof List<?> || a instanceof Tuple)
            && (b instanceof List<?> || b instanceof Tuple)) {
          List<Object> out = new ArrayList<>(Py.list(a));
          out.addAll(Py.list(b));
          return a instanceof Tuple ? new Tuple(out) : out;
        }
        if (isNumber(a) && isNumber(b)) {
          return bothInts(a, b) ? (Object) (lng(a) + lng(b)) : (Object) (dbl(a) + dbl(b));
        }
        throw typeError(op, a, b, line);
      }
      case "-" -> {
        requireNumbers(op, a, b, line);
        return bothInts(a, b) ? (Object) (lng(a) - lng(b)) : (Object) (dbl(a) - dbl(b));
      }
      case "*" -> {
        if (a instanceof String s && b instanceof Long n) {
          return s.repeat((int) Math.max(0, n));
        }
        if (a instanceof List<?> l && b instanceof Long n) {
          List<Object> out = new ArrayList<>();
          for (long k = 0; k < n; k++) {
            out.addAll(l);
          }
          return out;
        }
        requireNumbers(op, a, b, line);
        return bothInts(a, b) ? (Object) (lng(a) * lng(b)) : (Object) (dbl(a) * dbl(b));
      }
      case "/" -> {
        requireNumbers(op, a, b, line);
        if (dbl(b) == 0) {
          throw new TemplateException("line " + line + ": division by zero");
        }
        return dbl(a) / dbl(b);
      }
      case "//" -> {
        requireNumbers(op, a, b, line);
        if (dbl(b) == 0) {
          throw new TemplateException("line " + line + ": division by zero");
        }
        return bothInts(a, b)
            ? (Object) Math.floorDiv(lng(a), lng(b))
            : (Object) Math.floor(dbl(a) / dbl(b));
      }
      case "%" -> {
        if (a instanceof String s) {
          return percentFormat(s, b, line);
        }
        requireNumbers(op, a, b, line);
        if (bothInts(a, b)) {
          return Math.floorMod(lng(a), lng(b));
        }
        double x = dbl(a);
        double y = dbl(b);
        return x - y * Math.floor(x / y);
      }
      case "**" -> {
        requireNumbers(op, a, b, line);
        if (bothInts(a, b) && lng(b) >= 0) {
          return (long) Math.pow(lng(a), lng(b));
        }
        return Math.pow(dbl(a), dbl(b));
      }
      default -> throw new TemplateException("line " + line + ": unknown operator " + op);
    }
  }

  /** printf-style {@code "%s" % x}, for the placeholders templates use. */
  private static String percentFormat(String format, Object args, int line) {
    List<Object> values = args instanceof Tuple t ? t.items() : List.of(args);
    StringBuilder sb = new StringBuilder();
    int k = 0;
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c != '%' || i + 1 >= format.length()) {
        sb.append(c);
        continue;
      }
      char spec = format.charAt(++i);
      switch (spec) {
        case '%' -> sb.append('%');
        case 's' -> sb.append(Py.str(values.get(k++)));
        case 'r' -> sb.append(Py.repr(values.get(k++)));
        case 'd' -> sb.append(number(values.get(k++), line).longValue());
        default -> throw new TemplateException("line " + line + ": unsupported format %" + spec);
      }
    }
    return sb.toString();
  }

  static boolean compare(String op, Object a, Object b, int line) {
    return switch (op) {
      case "==" -> Py.eq(a, b);
      case "!=" -> !Py.eq(a, b);
      case "<" -> Py.compare(a, b) < 0;
      case "<=" -> Py.compare(a, b) <= 0;
      case ">" -> Py.compare(a, b) > 0;
      case ">=" -> Py.compare(a, b) >= 0;
      case "in" -> contains(b, a, line);
      case "not in" -> !contains(b, a, line);
      default -> throw new TemplateException("line " + line + ": unknown comparison " + op);
    };
  }

  static boolean contains(Object container, Object item, int line) {
    return switch (container) {
      case String s ->
          item instanceof String x
              ? s.contains(x)
              : throwType(line, "in <string> requires string as left operand");
      case Map<?, ?> m -> m.containsKey(item);
      case Undefined u -> false;
      default -> {
        for (Object o : Py.iterate(container)) {
          if (Py.eq(o, item)) {
            yield true;
          }
        }
        yield false;
      }
    };
  }

  private static boolean throwType(int line, String message) {
    throw new TemplateException("line " + line + ": " + message);
  }

  private static boolean isNumber(Object v) {
    return v instanceof Number || v instanceof Boolean;
  }

  private static boolean bothInts(Object a, Object b) {
    return (a instanceof Long || a instanceof Boolean)
        && (b instanceof Long || b instanceof Boolean);
  }

  private static long lng(Object v) {
    return number(v, 0).longValue();
  }

  private static double dbl(Object v) {
    return number(v, 0).doubleValue();
  }

  private static void requireNumbers(String op, Object a, Object b, int line) {
    if (!isNumber(a) || !isNumber(b)) {
      throw typeError(op, a, b, line);
    }
  }

  private static TemplateException typeError(String op, Object a, Object b, int line) {
    return new TemplateException(
        "line "
            + line
            + ": unsupported operand types for "
            + op
            + ": '"
            + Py.typeName(a)
            + "' and '"
            + Py.typeName(b)
            + "'");
  }

  // ---- filters ----

  static Object filter(
      String name,
      Object v,
      List<Object> args,
      Map<String, Object> kw,
      int line,
      Interpreter interp,
      Interpreter.Scope scope) {
    return switch (name) {
      case "tojson" -> {
        Object indent =
            kw.containsKey("indent") ? kw.get("indent") : args.isEmpty() ? null : args.get(0);
        boolean sortKeys = Py.truthy(kw.getOrDefault("sort_keys", false));
        yield Py.json(
            v,
            indent == null || indent instanceof Undefined
                ? null
                : (int) number(indent, line).longValue(),
            sortKeys);
      }
      case "trim" ->
          args.isEmpty()
              ? strip(Py.str(v), null, true, true)
              : strip(Py.str(v), Py.str(args.get(0)), true, true);
      case "length", "count" -> (long) length(v, line);
      case "upper" -> Py.str(v).toUpperCase(Locale.ROOT);
      case "lower" -> Py.str(v).toLowerCase(Locale.ROOT);
      case "string" -> Py.str(v);
      case "safe", "e", "escape", "forceescape" -> name.equals("safe") ? v : escape(Py.str(v));
      case "int" -> toInt(v, args.isEmpty() ? 0L : args.get(0));
      case "float" -> toFloat(v, args.isEmpty() ? 0.0 : args.get(0));
      case "abs" ->
          v instanceof Long l
              ? (Object) Math.abs(l)
              : (Object) Math.abs(number(v, line).doubleValue());
      case "default", "d" -> {
        Object fallback = args.isEmpty() ? "" : args.get(0);
        boolean boolMode =
            args.size() > 1 ? Py.truthy(args.get(1)) : Py.truthy(kw.getOrDefault("boolean", false));
        yield v instanceof Undefined || (boolMode && !Py.truthy(v)) ? fallback : v;
      }
      case "join" -> {
        String sep = args.isEmpty() ? Py.str(kw.getOrDefault("d", "")) : Py.str(args.get(0));
        Object attr =
            kw.containsKey("attribute")
                ? kw.get("attribute")
                : args.size() > 1 ? args.get(1) : null;
        List<String> parts = new ArrayList<>();
        for (Object o : Py.iterate(v)) {
          parts.add(Py.str(attr == null ? o : item(o, attr, line)));
        }
        yield String.join(sep, parts);
      }
      case "first" -> {
        List<Object> l = Py.list(v);
        yield l.isEmpty() ? new Undefined("first") : l.get(0);
      }
      case "last" -> {
        List<Object> l = Py.list(v);
        yield l.isEmpty() ? new Undefined("last") : l.get(l.size() - 1);
      }
      case "list" -> Py.list(v);
      case "items" -> {
        List<Object> out = new ArrayList<>();
        if (v instanceof Map<?, ?> m) {
          m.forEach((k, val) -> out.add(new Tuple(fixNull(k, val))));
        }
        yield out;
      }
      case "dictsort" -> {
        List<Object> out = new ArrayList<>();
        if (v instanceof Map<?, ?> m) {
          List<Object> keys = new ArrayList<>(m.keySet());
          keys.sort(
              (a, b) ->
                  Py.compare(
                      Py.str(a).toLowerCase(Locale.ROOT), Py.str(b).toLowerCase(Locale.ROOT)));
          for (Object k : keys) {
            out.add(new Tuple(fixNull(k, m.get(k))));
          }
        }
        yield out;
      }
      case "reverse" -> {
        if (v instanceof String s) {
          yield new StringBuilder(s).reverse().toString();
        }
        List<Object> l = Py.list(v);
        Collections.reverse(l);
        yield l;
      }
      case "unique" -> new ArrayList<>(new LinkedHashSet<>(Py.list(v)));
      case "sort" -> {
        List<Object> l = Py.list(v);
        Object attr = kw.get("attribute");
        boolean reverse =
            Py.truthy(kw.getOrDefault("reverse", args.isEmpty() ? false : args.get(0)));
        l.sort(
            (a, b) ->
                Py.compare(
                    attr == null ? a : item(a, attr, line),
                    attr == null ? b : item(b, attr, line)));
        if (reverse) {
          Collections.reverse(l);
        }
        yield l;
      }
      case "map" -> {
        List<Object> out = new ArrayList<>();
        for (Object o : Py.iterate(v)) {
          if (kw.containsKey("attribute")) {
            Object got = item(o, kw.get("attribute"), line);
            out.add(
                got instanceof Undefined && kw.containsKey("default") ? kw.get("default") : got);
          } else {
            out.add(
                filter(
                    Py.str(args.get(0)),
                    o,
                    args.subList(1, args.size()),
                    Map.of(),
                    line,
                    interp,
                    scope));
          }
        }
        yield out;
      }
      case "select", "reject" -> {
        List<Object> out = new ArrayList<>();
        for (Object o : Py.iterate(v)) {
          boolean ok =
              args.isEmpty()
                  ? Py.truthy(o)
                  : interp.runTest(Py.str(args.get(0)), o, args.subList(1, args.size()), line);
          if (ok == name.equals("select")) {
            out.add(o);
          }
        }
        yield out;
      }
      case "selectattr", "rejectattr" -> {
        List<Object> out = new ArrayList<>();
        for (Object o : Py.iterate(v)) {
          Object attr = item(o, args.get(0), line);
          boolean ok =
              args.size() < 2
                  ? Py.truthy(attr)
                  : interp.runTest(Py.str(args.get(1)), attr, args.subList(2, args.size()), line);
          if (ok == name.equals("selectattr")) {
            out.add(o);
          }
        }
        yield out;
      }
      case "replace" -> {
        String s = Py.str(v);
        String old = Py.str(args.get(0));
        String rep = Py.str(args.get(1));
        yield args.size() > 2
            ? replaceN(s, old, rep, (int) number(args.get(2), line).longValue())
            : s.replace(old, rep);
      }
      case "capitalize" -> capitalize(Py.str(v));
      case "title" -> title(Py.str(v));
      case "indent" -> {
        int width =
            args.isEmpty()
                ? (int) number(kw.getOrDefault("width", 4L), line).longValue()
                : (int) number(args.get(0), line).longValue();
        boolean first = Py.truthy(args.size() > 1 ? args.get(1) : kw.getOrDefault("first", false));
        String pad = " ".repeat(width);
        String[] lines = Py.str(v).split("\n", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
          if (i > 0) {
            sb.append('\n');
          }
          sb.append((i > 0 || first) && !lines[i].isEmpty() ? pad : "").append(lines[i]);
        }
        yield sb.toString();
      }
      case "round" -> {
        int precision = args.isEmpty() ? 0 : (int) number(args.get(0), line).longValue();
        double scale = Math.pow(10, precision);
        yield Math.rint(number(v, line).doubleValue() * scale) / scale;
      }
      case "sum" -> {
        Object total = kw.getOrDefault("start", 0L);
        for (Object o : Py.iterate(v)) {
          total =
              binary(
                  "+",
                  total,
                  kw.containsKey("attribute") ? item(o, kw.get("attribute"), line) : o,
                  line);
        }
        yield total;
      }
      case "min", "max" -> {
        List<Object> l = Py.list(v);
        if (l.isEmpty()) {
          yield new Undefined(name);
        }
        Object best = l.get(0);
        for (Object o : l) {
          int c = Py.compare(o, best);
          if (name.equals("min") ? c < 0 : c > 0) {
            best = o;
          }
        }
        yield best;
      }
      case "wordcount" -> (long) Py.str(v).trim().split("\\s+").length;
      default -> throw new TemplateException("line " + line + ": no filter named '" + name + "'");
    };
  }

  /** A (key, value) pair that may hold None (List.of refuses nulls). */
  private static List<Object> fixNull(Object k, Object v) {
    List<Object> pair = new ArrayList<>(2);
    pair.add(k);
    pair.add(v);
    return pair;
  }

  private static int length(Object v, int line) {
    return switch (v) {
      case String s -> s.codePointCount(0, s.length());
      case List<?> l -> l.size();
      case Map<?, ?> m -> m.size();
      case Tuple t -> t.items().size();
      case Undefined u -> 0;
      default ->
          throw new TemplateException(
              "line " + line + ": object of type '" + Py.typeName(v) + "' has no len()");
    };
  }

  private static Object toInt(Object v, Object fallback) {
    try {
      return switch (v) {
        case Long l -> l;
        case Double d -> (long) d.doubleValue();
        case Boolean b -> b ? 1L : 0L;
        case String s ->
            s.strip().contains(".")
                ? (long) Double.parseDouble(s.strip())
                : Long.parseLong(s.strip());
        default -> fallback;
      };
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static Object toFloat(Object v, Object fallback) {
    try {
      return switch (v) {
        case Number n -> n.doubleValue();
        case Boolean b -> b ? 1.0 : 0.0;
        case String s -> Double.parseDouble(s.strip());
        default -> fallback;
      };
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&#34;")
        .replace("'", "&#39;");
  }

  private static String replaceN(String s, String old, String rep, int count) {
    StringBuilder sb = new StringBuilder();
    int from = 0;
    int done = 0;
    int at;
    while (done < count && !old.isEmpty() && (at = s.indexOf(old, from)) >= 0) {
      sb.append(s, from, at).append(rep);
      from = at + old.length();
      done++;
    }
    return sb.append(s.substring(from)).toString();
  }

  private static String capitalize(String s) {
    if (s.isEmpty()) {
      return s;
    }
    int first = s.codePointAt(0);
    return new String(Character.toChars(Character.toTitleCase(first)))
        + s.substring(Character.charCount(first)).toLowerCase(Locale.ROOT);
  }

  private static String title(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean prevCased = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      sb.appendCodePoint(prevCased ? Character.toLowerCase(cp) : Character.toTitleCase(cp));
      prevCased = Character.isLetter(cp);
    }
    return sb.toString();
  }

  /** Python's str.strip/lstrip/rstrip. */
  static String strip(String s, String chars, boolean left, boolean right) {
    int start = 0;
    int end = s.length();
    while (left && start < end && stripChar(s.charAt(start), chars)) {
      start++;
    }
    while (right && end > start && stripChar(s.charAt(end - 1), chars)) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean stripChar(char c, String chars) {
    return chars == null
        ? Character.isWhitespace(c)
            || c == '\u00A0'
            || c == '\u2007'
            || c == '\u202F'
            || c == '\u0085'
        : chars.indexOf(c) >= 0;
  }

  // ---- tests ----

  static boolean test(String name, Object v, List<Object> args, int line) {
    return switch (name) {
      case "defined" -> !(v instanceof Undefined);
      case "undefined" -> v instanceof Undefined;
      case "none" -> v == null;
      case "boolean" -> v instanceof Boolean;
      case "true" -> Boolean.TRUE.equals(v);
      case "false" -> Boolean.FALSE.equals(v);
      case "integer" -> v instanceof Long;
      case "float" -> v instanceof Double;
      case "number" -> v instanceof Long || v instanceof Double;
      case "string" -> v instanceof String;
      case "mapping" -> v instanceof Map<?, ?>;
      case "sequence" ->
          v instanceof List<?>
              || v instanceof Tuple
              || v instanceof String
              || v instanceof Map<?, ?>;
      case "iterable" ->
          v instanceof List<?>
              || v instanceof Tuple
              || v instanceof String
              || v instanceof Map<?, ?>;
      case "callable" -> v instanceof PyCallable;
      case "eq", "equalto", "==" -> Py.eq(v, args.get(0));
      case "ne", "!=" -> !Py.eq(v, args.get(0));
      case "lt", "lessthan" -> Py.compare(v, args.get(0)) < 0;
      case "le" -> Py.compare(v, args.get(0)) <= 0;
      case "gt", "greaterthan" -> Py.compare(v, args.get(0)) > 0;
      case "ge" -> Py.compare(v, args.get(0)) >= 0;
      case "in" -> contains(args.get(0), v, line);
      case "odd" -> number(v, line).longValue() % 2 != 0;
      case "even" -> number(v, line).longValue() % 2 == 0;
      case "divisibleby" ->
          number(v, line).longValue() % number(args.get(0), line).longValue() == 0;
      case "sameas" ->
          v == args.get(0) || (v != null && v.equals(args.get(0)) && (v instanceof Boolean));
      case "lower" -> v instanceof String s && s.equals(s.toLowerCase(Locale.ROOT));
      case "upper" -> v instanceof String s && s.equals(s.toUpperCase(Locale.ROOT));
      default -> throw new TemplateException("line " + line + ": no test named '" + name + "'");
    };
  }

  // ---- methods ----

  /** A bound method of a str, dict or list, or null when the value has none of that name. */
  static PyCallable method(Object obj, String name, int line) {
    if (obj instanceof String s) {
      return switch (name) {
        case "strip" ->
            (a, k) ->
                strip(s, a.isEmpty() || a.get(0) == null ? null : Py.str(a.get(0)), true, true);
        case "lstrip" ->
            (a, k) ->
                strip(s, a.isEmpty() || a.get(0) == null ? null : Py.str(a.get(0)), true, false);
        case "rstrip" ->
            (a, k) ->
                strip(s, a.isEmpty() || a.get(0) == null ? null : Py.str(a.get(0)), false, true);
        case "upper" -> (a, k) -> s.toUpperCase(Locale.ROOT);
        case "lower" -> (a, k) -> s.toLowerCase(Locale.ROOT);
        case "title" -> (a, k) -> title(s);
        case "capitalize" -> (a, k) -> capitalize(s);
        case "startswith" -> (a, k) -> anyPrefix(s, a.get(0), true);
        case "endswith" -> (a, k) -> anyPrefix(s, a.get(0), false);
        case "replace" ->
            (a, k) ->
                a.size() > 2
                    ? replaceN(
                        s,
                        Py.str(a.get(0)),
                        Py.str(a.get(1)),
                        (int) number(a.get(2), line).longValue())
                    : s.replace(Py.str(a.get(0)), Py.str(a.get(1)));
        case "split" ->
            (a, k) ->
                split(
                    s,
                    a.isEmpty() || a.get(0) == null ? null : Py.str(a.get(0)),
                    a.size() > 1 ? (int) number(a.get(1), line).longValue() : -1);
        case "splitlines" -> (a, k) -> splitlines(s);
        case "find" -> (a, k) -> (long) s.indexOf(Py.str(a.get(0)));
        case "rfind" -> (a, k) -> (long) s.lastIndexOf(Py.str(a.get(0)));
        case "count" -> (a, k) -> (long) countOf(s, Py.str(a.get(0)));
        case "join" ->
            (a, k) -> {
              List<String> parts = new ArrayList<>();
              for (Object o : Py.iterate(a.get(0))) {
                parts.add(Py.str(o));
              }
              return String.join(s, parts);
            };
        case "isdigit" -> (a, k) -> !s.isEmpty() && s.chars().allMatch(Character::isDigit);
        case "isalpha" -> (a, k) -> !s.isEmpty() && s.chars().allMatch(Character::isLetter);
        case "isspace" -> (a, k) -> !s.isEmpty() && s.chars().allMatch(Character::isWhitespace);
        case "format" ->
            (a, k) -> {
              String out = s;
              for (Object o : a) {
                out = out.replaceFirst("\\{\\}", Matcher.quoteReplacement(Py.str(o)));
              }
              for (Map.Entry<String, Object> e : k.entrySet()) {
                out = out.replace("{" + e.getKey() + "}", Py.str(e.getValue()));
              }
              return out;
            };
        default -> null;
      };
    }
    if (obj instanceof Map<?, ?> m) {
      return switch (name) {
        case "items" ->
            (a, k) -> {
              List<Object> out = new ArrayList<>();
              m.forEach((key, val) -> out.add(new Tuple(fixNull(key, val))));
              return out;
            };
        case "keys" -> (a, k) -> new ArrayList<Object>(m.keySet());
        case "values" -> (a, k) -> new ArrayList<Object>(m.values());
        case "get" ->
            (a, k) -> m.containsKey(a.get(0)) ? m.get(a.get(0)) : a.size() > 1 ? a.get(1) : null;
        case "copy" -> (a, k) -> new LinkedHashMap<Object, Object>(m);
        default -> UNSAFE_METHODS.contains(name) ? unsafe(name, "dict", line) : null;
      };
    }
    if (obj instanceof List<?> l) {
      return switch (name) {
        case "index" ->
            (a, k) -> {
              for (int i = 0; i < l.size(); i++) {
                if (Py.eq(l.get(i), a.get(0))) {
                  return (long) i;
                }
              }
              throw new TemplateException(
                  "line " + line + ": " + Py.repr(a.get(0)) + " is not in list");
            };
        case "count" -> (a, k) -> l.stream().filter(o -> Py.eq(o, a.get(0))).count();
        case "copy" -> (a, k) -> new ArrayList<Object>(l);
        default -> UNSAFE_METHODS.contains(name) ? unsafe(name, "list", line) : null;
      };
    }
    return null;
  }

  private static PyCallable unsafe(String name, String type, int line) {
    return (a, k) -> {
      throw new TemplateException(
          "line "
              + line
              + ": access to attribute '"
              + name
              + "' of '"
              + type
              + "' object is unsafe");
    };
  }

  private static boolean anyPrefix(String s, Object arg, boolean start) {
    List<Object> options =
        arg instanceof Tuple t
            ? t.items()
            : arg instanceof List<?> l ? new ArrayList<>(l) : List.of(arg);
    for (Object o : options) {
      if (start ? s.startsWith(Py.str(o)) : s.endsWith(Py.str(o))) {
        return true;
      }
    }
    return false;
  }

  private static List<Object> split(String s, String sep, int maxsplit) {
    List<Object> out = new ArrayList<>();
    if (sep == null) {
      String t = s.strip();
      if (t.isEmpty()) {
        return out;
      }
      String[] parts = maxsplit < 0 ? t.split("\\s+") : t.split("\\s+", maxsplit + 1);
      out.addAll(List.of(parts));
      return out;
    }
    int from = 0;
    int at;
    int done = 0;
    while ((maxsplit < 0 || done < maxsplit) && (at = s.indexOf(sep, from)) >= 0) {
      out.add(s.substring(from, at));
      from = at + sep.length();
      done++;
    }
    out.add(s.substring(from));
    return out;
  }

  private static List<Object> splitlines(String s) {
    List<Object> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r') {
        out.add(s.substring(start, i));
        if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    if (start < s.length()) {
      out.add(s.substring(start));
    }
    return out;
  }

  private static int countOf(String s, String sub) {
    if (sub.isEmpty()) {
      return s.length() + 1;
    }
    int n = 0;
    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
      n++;
    }
    return n;
  }
}
