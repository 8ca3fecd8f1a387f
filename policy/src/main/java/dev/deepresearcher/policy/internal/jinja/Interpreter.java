package dev.deepresearcher.policy.internal.jinja;

import dev.deepresearcher.policy.internal.jinja.Ast.Expr;
import dev.deepresearcher.policy.internal.jinja.Ast.Node;
import dev.deepresearcher.policy.internal.jinja.Py.Tuple;
import dev.deepresearcher.policy.internal.jinja.Py.Undefined;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders a parsed template against a context, with Jinja2's scoping rules. */
final class Interpreter {
  /** Something a template can call: a global, a macro, a bound method. */
  @FunctionalInterface
  interface PyCallable {
    Object call(List<Object> args, Map<String, Object> kwargs);
  }

  /** {@code namespace()}: the one mutable object templates may assign attributes to. */
  static final class Namespace extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;
  }

  /** A variable scope; loops and macro calls open new ones, {@code if} does not. */
  static final class Scope {
    final Map<String, Object> vars = new HashMap<>();
    final Scope parent;

    Scope(Scope parent) {
      this.parent = parent;
    }

    Object get(String name) {
      for (Scope s = this; s != null; s = s.parent) {
        if (s.vars.containsKey(name)) {
          return s.vars.get(name);
        }
      }
      return new Undefined(name);
    }
  }

  private static final class BreakSignal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BreakSignal() {
      super(null, null, false, false);
    }
  }

  private static final class ContinueSignal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ContinueSignal() {
      super(null, null, false, false);
    }
  }

  private Interpreter() {}

  static String render(
      List<Node> template, Map<String, Object> context, Map<String, Object> globals) {
    Scope root = new Scope(null);
    root.vars.putAll(globals);
    Scope scope = new Scope(root);
    scope.vars.putAll(context);
    StringBuilder out = new StringBuilder();
    new Interpreter().run(template, scope, out);
    return out.toString();
  }

  private void run(List<Node> nodes, Scope scope, StringBuilder out) {
    for (Node n : nodes) {
      exec(n, scope, out);
    }
  }

  private void exec(Node node, Scope scope, StringBuilder out) {
    switch (node) {
      case Ast.Text t -> out.append(t.text());
      case Ast.Print p -> out.append(Py.str(eval(p.expr(), scope)));
      case Ast.If i -> {
        for (int k = 0; k < i.tests().size(); k++) {
          if (Py.truthy(eval(i.tests().get(k), scope))) {
            run(i.bodies().get(k), scope, out);
            return;
          }
        }
        run(i.orElse(), scope, out);
      }
      case Ast.For f -> forLoop(f, scope, out);
      case Ast.Set s -> set(s, scope);
      case Ast.SetBlock s -> {
        StringBuilder captured = new StringBuilder();
        run(s.body(), scope, captured);
        scope.vars.put(s.target(), captured.toString());
      }
      case Ast.Macro m -> scope.vars.put(m.name(), macro(m, scope));
      case Ast.CallBlock c -> {
        Scope callerScope = scope;
        PyCallable caller =
            (args, kwargs) -> {
              StringBuilder sb = new StringBuilder();
              run(c.body(), new Scope(callerScope), sb);
              return sb.toString();
            };
        Scope withCaller = new Scope(scope);
        withCaller.vars.put("caller", caller);
        out.append(Py.str(eval(c.call(), withCaller)));
      }
      case Ast.Break b -> throw new BreakSignal();
      case Ast.Continue c -> throw new ContinueSignal();
    }
  }

  private void forLoop(Ast.For f, Scope scope, StringBuilder out) {
    Object iterable = eval(f.iterable(), scope);
    List<Object> items = new ArrayList<>();
    for (Object item : Py.iterate(iterable)) {
      if (f.filter() != null) {
        Scope probe = new Scope(scope);
        bindTargets(f.targets(), item, probe, f.line());
        if (!Py.truthy(eval(f.filter(), probe))) {
          continue;
        }
      }
      items.add(item);
    }
    if (items.isEmpty()) {
      run(f.orElse(), scope, out);
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      Scope iteration =
          new Scope(scope); // Jinja: assignments in the body do not outlive an iteration
      bindTargets(f.targets(), items.get(i), iteration, f.line());
      iteration.vars.put("loop", loopInfo(items, i));
      try {
        run(f.body(), iteration, out);
      } catch (ContinueSignal c) {
        // next item
      } catch (BreakSignal b) {
        break;
      }
    }
  }

  private static Map<String, Object> loopInfo(List<Object> items, int i) {
    Map<String, Object> loop = new HashMap<>();
    int n = items.size();
    loop.put("index", (long) i + 1);
    loop.put("index0", (long) i);
    loop.put("revindex", (long) (n - i));
    loop.put("revindex0", (long) (n - i - 1));
    loop.put("first", i == 0);
    loop.put("last", i == n - 1);
    loop.put("length", (long) n);
    loop.put("previtem", i > 0 ? items.get(i - 1) : new Undefined("previtem"));
    loop.put("nextitem", i < n - 1 ? items.get(i + 1) : new Undefined("nextitem"));
    loop.put("depth", 1L);
    loop.put("depth0", 0L);
    PyCallable cycle = (args, kwargs) -> args.get(i % args.size());
    loop.put("cycle", cycle);
    return loop;
  }

  private void bindTargets(List<String> targets, Object value, Scope scope, int line) {
    if (targets.size() == 1) {
      scope.vars.put(targets.get(0), value);
      return;
    }
    List<Object> parts = Py.list(value);
    if (parts.size() != targets.size()) {
      throw new TemplateException(
          "line "
              + line
              + ": cannot unpack "
              + parts.size()
              + " values into "
              + targets.size()
              + " names");
    }
    for (int k = 0; k < targets.size(); k++) {
      scope.vars.put(targets.get(k), parts.get(k));
    }
  }

  private void set(Ast.Set s, Scope scope) {
    Object value = eval(s.value(), scope);
    if (s.attribute() != null) {
      Object target = scope.get(s.targets().get(0));
      if (!(target instanceof Namespace ns)) {
        throw new TemplateException(
            "line "
                + s.line()
                + ": cannot assign attribute on non-namespace object "
                + s.targets().get(0));
      }
      ns.put(s.attribute(), value);
      return;
    }
    bindTargets(s.targets(), value, scope, s.line());
  }

  private PyCallable macro(Ast.Macro m, Scope defining) {
    return (args, kwargs) -> {
      Scope call = new Scope(defining);
      for (int k = 0; k < m.params().size(); k++) {
        String p = m.params().get(k);
        Object v;
        if (k < args.size()) {
          v = args.get(k);
        } else if (kwargs.containsKey(p)) {
          v = kwargs.get(p);
        } else if (m.defaults().get(k) != null) {
          v = eval(m.defaults().get(k), call);
        } else {
          v = new Undefined(p);
        }
        call.vars.put(p, v);
      }
      Object caller = defining.get("caller");
      if (!(caller instanceof Undefined)) {
        call.vars.put("caller", caller);
      }
      StringBuilder sb = new StringBuilder();
      run(m.body(), call, sb);
      return sb.toString();
    };
  }

  Object eval(Expr e, Scope scope) {
    return switch (e) {
      case Ast.Literal l -> l.value();
      case Ast.Name n -> scope.get(n.name());
      case Ast.Attr a -> Builtins.attribute(eval(a.target(), scope), a.name(), a.line());
      case Ast.Item i -> Builtins.item(eval(i.target(), scope), eval(i.key(), scope), i.line());
      case Ast.Slice s ->
          Builtins.slice(
              eval(s.target(), scope),
              s.start() == null ? null : eval(s.start(), scope),
              s.stop() == null ? null : eval(s.stop(), scope),
              s.step() == null ? null : eval(s.step(), scope));
      case Ast.Call c -> call(c, scope);
      case Ast.Filter f -> {
        Object target = eval(f.target(), scope);
        List<Object> args = evalAll(f.args(), scope);
        yield Builtins.filter(
            f.name(),
            target,
            args,
            kwargs(f.kwNames(), f.kwValues(), scope),
            f.line(),
            this,
            scope);
      }
      case Ast.Test t -> {
        boolean r =
            Builtins.test(t.name(), eval(t.target(), scope), evalAll(t.args(), scope), t.line());
        yield t.negated() != r;
      }
      case Ast.Unary u -> {
        Object v = eval(u.operand(), scope);
        if (u.op().equals("-")) {
          yield v instanceof Long l
              ? (Object) (-l)
              : (Object) (-Builtins.number(v, 0).doubleValue());
        }
        yield v;
      }
      case Ast.Binary b ->
          Builtins.binary(b.op(), eval(b.left(), scope), eval(b.right(), scope), b.line());
      case Ast.Compare c -> {
        Object left = eval(c.first(), scope);
        for (int k = 0; k < c.ops().size(); k++) {
          Object right = eval(c.rest().get(k), scope);
          if (!Builtins.compare(c.ops().get(k), left, right, c.line())) {
            yield false;
          }
          left = right;
        }
        yield true;
      }
      case Ast.And a -> {
        Object left = eval(a.left(), scope);
        yield Py.truthy(left) ? eval(a.right(), scope) : left;
      }
      case Ast.Or o -> {
        Object left = eval(o.left(), scope);
        yield Py.truthy(left) ? left : eval(o.right(), scope);
      }
      case Ast.Not n -> !Py.truthy(eval(n.operand(), scope));
      case Ast.Cond c ->
          Py.truthy(eval(c.test(), scope))
              ? eval(c.then(), scope)
              : c.otherwise() == null ? new Undefined("else") : eval(c.otherwise(), scope);
      case Ast.ListLit l -> new ArrayList<>(evalAll(l.items(), scope));
      case Ast.TupleLit t -> new Tuple(evalAll(t.items(), scope));
      case Ast.DictLit d -> {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int k = 0; k < d.keys().size(); k++) {
          map.put(eval(d.keys().get(k), scope), eval(d.values().get(k), scope));
        }
        yield map;
      }
    };
  }

  private Object call(Ast.Call c, Scope scope) {
    Object callee = eval(c.callee(), scope);
    List<Object> args = evalAll(c.args(), scope);
    Map<String, Object> kwargs = kwargs(c.kwNames(), c.kwValues(), scope);
    if (callee instanceof PyCallable f) {
      return f.call(args, kwargs);
    }
    if (callee instanceof Undefined u) {
      throw new TemplateException("line " + c.line() + ": '" + u.name() + "' is undefined");
    }
    throw new TemplateException(
        "line " + c.line() + ": '" + Py.typeName(callee) + "' object is not callable");
  }

  List<Object> evalAll(List<Expr> exprs, Scope scope) {
    List<Object> out = new ArrayList<>(exprs.size());
    for (Expr e : exprs) {
      out.add(eval(e, scope));
    }
    return out;
  }

  private Map<String, Object> kwargs(List<String> names, List<Expr> values, Scope scope) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int k = 0; k < names.size(); k++) {
      out.put(names.get(k), eval(values.get(k), scope));
    }
    return out;
  }

  /** Calls a test by name on behalf of filters such as {@code select}. */
  boolean runTest(String name, Object value, List<Object> args, int line) {
    return Builtins.test(name, value, args, line);
  }
}
