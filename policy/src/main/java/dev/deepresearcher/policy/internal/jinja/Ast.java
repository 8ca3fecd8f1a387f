package dev.deepresearcher.policy.internal.jinja;

import java.util.List;

/** The parsed template: statements and expressions. */
final class Ast {
  private Ast() {}

  sealed interface Node
      permits Text, Print, If, For, Set, SetBlock, Macro, Break, Continue, CallBlock {}

  record Text(String text) implements Node {}

  record Print(Expr expr, int line) implements Node {}

  /**
   * if / elif / else: {@code tests.get(i)} guards {@code bodies.get(i)}; {@code orElse} may be
   * empty.
   */
  record If(List<Expr> tests, List<List<Node>> bodies, List<Node> orElse) implements Node {}

  record For(
      List<String> targets,
      Expr iterable,
      Expr filter,
      List<Node> body,
      List<Node> orElse,
      int line)
      implements Node {}

  /** {@code set a = …}, {@code set a, b = …} or {@code set ns.attr = …}. */
  record Set(List<String> targets, String attribute, Expr value, int line) implements Node {}

  record SetBlock(String target, List<Node> body) implements Node {}

  record Macro(String name, List<String> params, List<Expr> defaults, List<Node> body)
      implements Node {}

  record CallBlock(Expr call, List<Node> body) implements Node {}

  record Break() implements Node {}

  record Continue() implements Node {}

  sealed interface Expr
      permits Literal,
          Name,
          Attr,
          Item,
          Slice,
          Call,
          Filter,
          Test,
          Unary,
          Binary,
          Compare,
          And,
          Or,
          Not,
          Cond,
          ListLit,
          TupleLit,
          DictLit {}

  record Literal(Object value) implements Expr {}

  record Name(String name, int line) implements Expr {}

  record Attr(Expr target, String name, int line) implements Expr {}

  record Item(Expr target, Expr key, int line) implements Expr {}

  record Slice(Expr target, Expr start, Expr stop, Expr step) implements Expr {}

  record Call(Expr callee, List<Expr> args, List<String> kwNames, List<Expr> kwValues, int line)
      implements Expr {}

  record Filter(
      Expr target,
      String name,
      List<Expr> args,
      List<String> kwNames,
      List<Expr> kwValues,
      int line)
      implements Expr {}

  record Test(Expr target, String name, List<Expr> args, boolean negated, int line)
      implements Expr {}

  record Unary(String op, Expr operand) implements Expr {}

  record Binary(String op, Expr left, Expr right, int line) implements Expr {}

  /** A chain {@code a < b <= c}, Python-style: every pair must hold. */
  record Compare(Expr first, List<String> ops, List<Expr> rest, int line) implements Expr {}

  record And(Expr left, Expr right) implements Expr {}

  record Or(Expr left, Expr right) implements Expr {}

  record Not(Expr operand) implements Expr {}

  record Cond(Expr test, Expr then, Expr otherwise) implements Expr {}

  record ListLit(List<Expr> items) implements Expr {}

  record TupleLit(List<Expr> items) implements Expr {}

  record DictLit(List<Expr> keys, List<Expr> values) implements Expr {}
}
