package dev.deepresearcher.policy.internal.jinja;

import dev.deepresearcher.policy.internal.jinja.Ast.Expr;
import dev.deepresearcher.policy.internal.jinja.Ast.Node;
import dev.deepresearcher.policy.internal.jinja.Lexer.Kind;
import dev.deepresearcher.policy.internal.jinja.Lexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Recursive-descent parser with Jinja2's grammar and operator precedence. */
final class Parser {
  private final List<Token> tokens;
  private int pos;

  private Parser(List<Token> tokens) {
    this.tokens = tokens;
  }

  static List<Node> parse(String template) {
    Parser p = new Parser(Lexer.tokenize(template));
    List<Node> body = p.block(Set.of());
    if (p.peek().kind() != Kind.EOF) {
      throw p.error("unexpected '" + p.peek().text() + "'");
    }
    return body;
  }

  // ---- statements ----

  /** Nodes until a block tag whose first word is in {@code ends} (left unconsumed) or the end. */
  private List<Node> block(Set<String> ends) {
    List<Node> nodes = new ArrayList<>();
    while (true) {
      Token t = peek();
      switch (t.kind()) {
        case EOF -> {
          if (!ends.isEmpty()) {
            throw error(
                "missing "
                    + String.join(" or ", ends.stream().map(e -> "{% " + e + " %}").toList()));
          }
          return nodes;
        }
        case TEXT -> {
          pos++;
          nodes.add(new Ast.Text(t.text()));
        }
        case PRINT_START -> {
          pos++;
          Expr e = expression();
          expect(Kind.PRINT_END, "}}");
          nodes.add(new Ast.Print(e, t.line()));
        }
        case BLOCK_START -> {
          Token word = tokens.get(pos + 1);
          if (word.kind() == Kind.NAME && ends.contains(word.text())) {
            return nodes;
          }
          pos += 2;
          nodes.add(statement(word));
        }
        default -> throw error("unexpected '" + t.text() + "'");
      }
    }
  }

  private Node statement(Token word) {
    if (word.kind() != Kind.NAME) {
      throw error("expected a statement after {%, got '" + word.text() + "'");
    }
    return switch (word.text()) {
      case "if" -> ifStatement();
      case "for" -> forStatement(word.line());
      case "set" -> setStatement(word.line());
      case "macro" -> macro();
      case "call" -> callBlock();
      case "break" -> {
        endTag();
        yield new Ast.Break();
      }
      case "continue" -> {
        endTag();
        yield new Ast.Continue();
      }
      case "generation", "filter" -> throw error("'{% " + word.text() + " %}' is not supported");
      default -> throw error("unknown statement '" + word.text() + "'");
    };
  }

  private Node ifStatement() {
    List<Expr> tests = new ArrayList<>();
    List<List<Node>> bodies = new ArrayList<>();
    tests.add(expression());
    endTag();
    bodies.add(block(Set.of("elif", "else", "endif")));
    List<Node> orElse = List.of();
    while (true) {
      pos++; // {%
      String word = next().text();
      if (word.equals("elif")) {
        tests.add(expression());
        endTag();
        bodies.add(block(Set.of("elif", "else", "endif")));
      } else if (word.equals("else")) {
        endTag();
        orElse = block(Set.of("endif"));
      } else {
        endTag();
        return new Ast.If(tests, bodies, orElse);
      }
    }
  }

  private Node forStatement(int line) {
    List<String> targets = new ArrayList<>();
    targets.add(name());
    while (peek().isOp(",")) {
      pos++;
      targets.add(name());
    }
    if (!next().isName("in")) {
      throw error("expected 'in' in the for loop");
    }
    Expr iterable = conditionalFree();
    Expr filter = null;
    if (peek().isName("if")) {
      pos++;
      filter = expression();
    }
    if (peek().isName("recursive")) {
      throw error("recursive loops are not supported");
    }
    endTag();
    List<Node> body = block(Set.of("else", "endfor"));
    List<Node> orElse = List.of();
    pos++;
    if (next().text().equals("else")) {
      endTag();
      orElse = block(Set.of("endfor"));
      pos += 2;
    }
    endTag();
    return new Ast.For(targets, iterable, filter, body, orElse, line);
  }

  private Node setStatement(int line) {
    String first = name();
    if (peek().isOp(".")) {
      pos++;
      String attribute = name();
      expectOp("=");
      Expr value = expression();
      endTag();
      return new Ast.Set(List.of(first), attribute, value, line);
    }
    List<String> targets = new ArrayList<>(List.of(first));
    while (peek().isOp(",")) {
      pos++;
      targets.add(name());
    }
    if (peek().kind() == Kind.BLOCK_END && targets.size() == 1) {
      endTag();
      List<Node> body = block(Set.of("endset"));
      pos += 2;
      endTag();
      return new Ast.SetBlock(first, body);
    }
    expectOp("=");
    Expr value = expression();
    endTag();
    return new Ast.Set(targets, null, value, line);
  }

  private Node macro() {
    String name = name();
    expectOp("(");
    List<String> params = new ArrayList<>();
    List<Expr> defaults = new ArrayList<>();
    while (!peek().isOp(")")) {
      params.add(name());
      if (peek().isOp("=")) {
        pos++;
        defaults.add(expression());
      } else {
        defaults.add(null);
      }
      if (peek().isOp(",")) {
        pos++;
      }
    }
    pos++;
    endTag();
    List<Node> body = block(Set.of("endmacro"));
    pos += 2;
    endTag();
    return new Ast.Macro(name, params, defaults, body);
  }

  private Node callBlock() {
    Expr call = expression();
    endTag();
    List<Node> body = block(Set.of("endcall"));
    pos += 2;
    endTag();
    return new Ast.CallBlock(call, body);
  }

  // ---- expressions, lowest precedence first ----

  Expr expression() {
    Expr e = or();
    if (peek().isName("if")) {
      pos++;
      Expr test = or();
      Expr otherwise = null;
      if (peek().isName("else")) {
        pos++;
        otherwise = expression();
      }
      return new Ast.Cond(test, e, otherwise);
    }
    return e;
  }

  /** An expression without a trailing {@code if} (the iterable of a for loop may be filtered). */
  private Expr conditionalFree() {
    return or();
  }

  private Expr or() {
    Expr e = and();
    while (peek().isName("or")) {
      pos++;
      e = new Ast.Or(e, and());
    }
    return e;
  }

  private Expr and() {
    Expr e = not();
    while (peek().isName("and")) {
      pos++;
      e = new Ast.And(e, not());
    }
    return e;
  }

  private Expr not() {
    if (peek().isName("not")) {
      pos++;
      return new Ast.Not(not());
    }
    return compare();
  }

  private Expr compare() {
    int line = peek().line();
    Expr first = math1();
    List<String> ops = new ArrayList<>();
    List<Expr> rest = new ArrayList<>();
    while (true) {
      Token t = peek();
      if (t.kind() == Kind.OP && Set.of("==", "!=", "<", "<=", ">", ">=").contains(t.text())) {
        pos++;
        ops.add(t.text());
      } else if (t.isName("in")) {
        pos++;
        ops.add("in");
      } else if (t.isName("not") && tokens.get(pos + 1).isName("in")) {
        pos += 2;
        ops.add("not in");
      } else {
        break;
      }
      rest.add(math1());
    }
    return ops.isEmpty() ? first : new Ast.Compare(first, ops, rest, line);
  }

  private Expr math1() {
    Expr e = concat();
    while (peek().isOp("+") || peek().isOp("-")) {
      Token op = next();
      e = new Ast.Binary(op.text(), e, concat(), op.line());
    }
    return e;
  }

  private Expr concat() {
    Expr e = math2();
    while (peek().isOp("~")) {
      Token op = next();
      e = new Ast.Binary("~", e, math2(), op.line());
    }
    return e;
  }

  private Expr math2() {
    Expr e = pow();
    while (peek().isOp("*") || peek().isOp("/") || peek().isOp("//") || peek().isOp("%")) {
      Token op = next();
      e = new Ast.Binary(op.text(), e, pow(), op.line());
    }
    return e;
  }

  private Expr pow() {
    Expr e = unary();
    while (peek().isOp("**")) {
      Token op = next();
      e = new Ast.Binary("**", e, unary(), op.line());
    }
    return e;
  }

  private Expr unary() {
    return unary(true);
  }

  /** As Jinja2: {@code -3 | abs} is {@code (-3) | abs}, the operand of a sign takes no filter. */
  private Expr unary(boolean withFilters) {
    Expr e;
    if (peek().isOp("-") || peek().isOp("+")) {
      Token op = next();
      e = new Ast.Unary(op.text(), unary(false));
    } else {
      e = postfix(primary());
    }
    return withFilters ? filtersAndTests(e) : e;
  }

  private Expr filtersAndTests(Expr e) {
    while (true) {
      Token t = peek();
      if (t.isOp("|")) {
        pos++;
        String name = dottedName();
        List<Expr> args = new ArrayList<>();
        List<String> kwNames = new ArrayList<>();
        List<Expr> kwValues = new ArrayList<>();
        if (peek().isOp("(")) {
          pos++;
          arguments(args, kwNames, kwValues);
        }
        e = postfix(new Ast.Filter(e, name, args, kwNames, kwValues, t.line()));
      } else if (t.isName("is")) {
        pos++;
        boolean negated = false;
        if (peek().isName("not")) {
          pos++;
          negated = true;
        }
        Token nameToken = next();
        String name = nameToken.kind() == Kind.NAME ? nameToken.text() : nameToken.text();
        if (nameToken.kind() == Kind.OP && (name.equals("==") || name.equals("!="))) {
          name = name.equals("==") ? "eq" : "ne";
        }
        List<Expr> args = new ArrayList<>();
        if (peek().isOp("(")) {
          pos++;
          arguments(args, new ArrayList<>(), new ArrayList<>());
        } else if (startsPrimary(peek())
            && !peek().isName("and")
            && !peek().isName("or")
            && !peek().isName("else")
            && !peek().isName("if")
            && !peek().isName("is")
            && !peek().isName("in")
            && !peek().isName("not")) {
          args.add(primary()); // `is divisibleby 3`, `is sameas x`
        }
        e = new Ast.Test(e, name, args, negated, t.line());
      } else {
        return e;
      }
    }
  }

  private boolean startsPrimary(Token t) {
    return t.kind() == Kind.STRING
        || t.kind() == Kind.INT
        || t.kind() == Kind.FLOAT
        || t.kind() == Kind.NAME
        || t.isOp("(")
        || t.isOp("[")
        || t.isOp("{");
  }

  private Expr postfix(Expr e) {
    while (true) {
      Token t = peek();
      if (t.isOp(".")) {
        pos++;
        Token n = next();
        if (n.kind() != Kind.NAME && n.kind() != Kind.INT) {
          throw error("expected an attribute name after '.'");
        }
        e = new Ast.Attr(e, n.text(), t.line());
      } else if (t.isOp("[")) {
        pos++;
        e = subscript(e, t.line());
      } else if (t.isOp("(")) {
        pos++;
        List<Expr> args = new ArrayList<>();
        List<String> kwNames = new ArrayList<>();
        List<Expr> kwValues = new ArrayList<>();
        arguments(args, kwNames, kwValues);
        e = new Ast.Call(e, args, kwNames, kwValues, t.line());
      } else {
        return e;
      }
    }
  }

  private Expr subscript(Expr target, int line) {
    Expr start = null;
    if (!peek().isOp(":")) {
      start = expression();
      if (peek().isOp("]")) {
        pos++;
        return new Ast.Item(target, start, line);
      }
    }
    expectOp(":");
    Expr stop = null;
    Expr step = null;
    if (!peek().isOp("]") && !peek().isOp(":")) {
      stop = expression();
    }
    if (peek().isOp(":")) {
      pos++;
      if (!peek().isOp("]")) {
        step = expression();
      }
    }
    expectOp("]");
    return new Ast.Slice(target, start, stop, step);
  }

  /** Arguments after an opening parenthesis, through the closing one. */
  private void arguments(List<Expr> args, List<String> kwNames, List<Expr> kwValues) {
    while (!peek().isOp(")")) {
      if (peek().kind() == Kind.NAME && tokens.get(pos + 1).isOp("=")) {
        kwNames.add(next().text());
        pos++;
        kwValues.add(expression());
      } else {
        args.add(expression());
      }
      if (peek().isOp(",")) {
        pos++;
      } else if (!peek().isOp(")")) {
        throw error("expected ',' or ')' in the argument list");
      }
    }
    pos++;
  }

  private Expr primary() {
    Token t = next();
    switch (t.kind()) {
      case STRING -> {
        StringBuilder sb = new StringBuilder(t.text());
        while (peek().kind() == Kind.STRING) { // adjacent literals concatenate
          sb.append(next().text());
        }
        return new Ast.Literal(sb.toString());
      }
      case INT -> {
        return new Ast.Literal(Long.parseLong(t.text()));
      }
      case FLOAT -> {
        return new Ast.Literal(Double.parseDouble(t.text()));
      }
      case NAME -> {
        return switch (t.text()) {
          case "true", "True" -> new Ast.Literal(Boolean.TRUE);
          case "false", "False" -> new Ast.Literal(Boolean.FALSE);
          case "none", "None" -> new Ast.Literal(null);
          default -> new Ast.Name(t.text(), t.line());
        };
      }
      case OP -> {
        switch (t.text()) {
          case "(" -> {
            if (peek().isOp(")")) {
              pos++;
              return new Ast.TupleLit(List.of());
            }
            Expr e = expression();
            if (peek().isOp(",")) {
              List<Expr> items = new ArrayList<>(List.of(e));
              while (peek().isOp(",")) {
                pos++;
                if (peek().isOp(")")) {
                  break;
                }
                items.add(expression());
              }
              expectOp(")");
              return new Ast.TupleLit(items);
            }
            expectOp(")");
            return e;
          }
          case "[" -> {
            List<Expr> items = new ArrayList<>();
            while (!peek().isOp("]")) {
              items.add(expression());
              if (peek().isOp(",")) {
                pos++;
              }
            }
            pos++;
            return new Ast.ListLit(items);
          }
          case "{" -> {
            List<Expr> keys = new ArrayList<>();
            List<Expr> values = new ArrayList<>();
            while (!peek().isOp("}")) {
              keys.add(expression());
              expectOp(":");
              values.add(expression());
              if (peek().isOp(",")) {
                pos++;
              }
            }
            pos++;
            return new Ast.DictLit(keys, values);
          }
          default -> throw errorAt(t, "unexpected '" + t.text() + "'");
        }
      }
      default ->
          throw errorAt(
              t, "unexpected " + (t.kind() == Kind.EOF ? "end of template" : "'" + t.text() + "'"));
    }
  }

  // ---- helpers ----

  private String dottedName() {
    StringBuilder sb = new StringBuilder(name());
    while (peek().isOp(".") && tokens.get(pos + 1).kind() == Kind.NAME) {
      pos++;
      sb.append('.').append(name());
    }
    return sb.toString();
  }

  private String name() {
    Token t = next();
    if (t.kind() != Kind.NAME) {
      throw errorAt(t, "expected a name, got '" + t.text() + "'");
    }
    return t.text();
  }

  private void endTag() {
    expect(Kind.BLOCK_END, "%}");
  }

  private void expect(Kind kind, String what) {
    Token t = next();
    if (t.kind() != kind) {
      throw errorAt(t, "expected '" + what + "', got '" + t.text() + "'");
    }
  }

  private void expectOp(String op) {
    Token t = next();
    if (!t.isOp(op)) {
      throw errorAt(t, "expected '" + op + "', got '" + t.text() + "'");
    }
  }

  private Token peek() {
    return tokens.get(pos);
  }

  private Token next() {
    return tokens.get(pos++);
  }

  private TemplateException error(String message) {
    return errorAt(peek(), message);
  }

  private static TemplateException errorAt(Token t, String message) {
    return new TemplateException("line " + t.line() + ": " + message);
  }
}
