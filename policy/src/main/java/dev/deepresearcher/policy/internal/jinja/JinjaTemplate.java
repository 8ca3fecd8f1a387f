package dev.deepresearcher.policy.internal.jinja;

import dev.deepresearcher.policy.internal.jinja.Interpreter.Namespace;
import dev.deepresearcher.policy.internal.jinja.Interpreter.PyCallable;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A compiled template. Context values must be plain Java values: strings, numbers, booleans, {@code
 * null}, lists and maps (nested), as Python's Jinja2 would receive them from JSON.
 *
 * <pre>{@code
 * JinjaTemplate t = JinjaTemplate.compile("{% for m in messages %}{{ m.role }}{% endfor %}");
 * String out = t.render(Map.of("messages", List.of(Map.of("role", "user"))));
 * }</pre>
 */
public final class JinjaTemplate {
  private final List<Ast.Node> nodes;

  private JinjaTemplate(List<Ast.Node> nodes) {
    this.nodes = nodes;
  }

  /**
   * Parses {@code source}.
   *
   * @throws TemplateException naming the line of a syntax error
   */
  public static JinjaTemplate compile(String source) {
    return new JinjaTemplate(Parser.parse(source));
  }

  /**
   * Renders with {@code context}; {@code raise_exception}, {@code namespace}, {@code range}, {@code
   * dict} and {@code strftime_now} are available as globals.
   *
   * @throws TemplateException for an error the template raises or runs into
   */
  public String render(Map<String, Object> context) {
    return Interpreter.render(nodes, normalize(context), globals());
  }

  private static Map<String, Object> globals() {
    Map<String, Object> g = new LinkedHashMap<>();
    PyCallable raise =
        (args, kwargs) -> {
          throw new TemplateException(args.isEmpty() ? "raise_exception" : Py.str(args.get(0)));
        };
    g.put("raise_exception", raise);
    PyCallable namespace =
        (args, kwargs) -> {
          Namespace ns = new Namespace();
          if (!args.isEmpty() && args.get(0) instanceof Map<?, ?> m) {
            m.forEach((k, v) -> ns.put(Py.str(k), v));
          }
          ns.putAll(kwargs);
          return ns;
        };
    g.put("namespace", namespace);
    PyCallable range =
        (args, kwargs) -> {
          long start = args.size() > 1 ? Builtins.number(args.get(0), 0).longValue() : 0;
          long stop = Builtins.number(args.get(args.size() > 1 ? 1 : 0), 0).longValue();
          long step = args.size() > 2 ? Builtins.number(args.get(2), 0).longValue() : 1;
          List<Object> out = new ArrayList<>();
          for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            out.add(i);
          }
          return out;
        };
    g.put("range", range);
    PyCallable dict = (args, kwargs) -> new LinkedHashMap<Object, Object>(kwargs);
    g.put("dict", dict);
    PyCallable strftime = (args, kwargs) -> strftime(Py.str(args.get(0)), LocalDateTime.now());
    g.put("strftime_now", strftime);
    return g;
  }

  /** Python's strftime for the directives chat templates use. */
  static String strftime(String format, LocalDateTime t) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c != '%' || i + 1 >= format.length()) {
        sb.append(c);
        continue;
      }
      char d = format.charAt(++i);
      String pattern =
          switch (d) {
            case 'Y' -> "yyyy";
            case 'm' -> "MM";
            case 'd' -> "dd";
            case 'H' -> "HH";
            case 'M' -> "mm";
            case 'S' -> "ss";
            case 'b' -> "MMM";
            case 'B' -> "MMMM";
            case 'a' -> "EEE";
            case 'A' -> "EEEE";
            case 'y' -> "yy";
            default -> null;
          };
      if (d == '%') {
        sb.append('%');
      } else if (pattern == null) {
        sb.append('%').append(d);
      } else {
        sb.append(t.format(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH)));
      }
    }
    return sb.toString();
  }

  /**
   * Copies the context into Python-shaped values: ints as Long, floats as Double, mutable copies.
   */
  private static Map<String, Object> normalize(Map<String, Object> context) {
    Map<String, Object> out = new LinkedHashMap<>();
    context.forEach((k, v) -> out.put(k, value(v)));
    return out;
  }

  private static Object value(Object v) {
    return switch (v) {
      case null -> null;
      case Integer i -> (long) i;
      case Short s -> (long) s;
      case Float f -> (double) f;
      case Map<?, ?> m -> {
        Map<Object, Object> out = new LinkedHashMap<>();
        m.forEach((k, val) -> out.put(k, value(val)));
        yield out;
      }
      case List<?> l -> {
        List<Object> out = new ArrayList<>(l.size());
        l.forEach(item -> out.add(value(item)));
        yield out;
      }
      default -> v;
    };
  }
}
