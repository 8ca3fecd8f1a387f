package dev.deepresearcher.browse.internal;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeFilter;
import org.jsoup.select.NodeTraversor;

/**
 * Readable text from HTML, through jsoup: scripts, styles, navigation, headers, footers, forms,
 * cookie banners, ads and other boilerplate are dropped; headings become {@code #} lines,
 * paragraphs blocks, list items {@code -} lines, table rows {@code |}-separated cells. When the
 * page marks its content ({@code <main>}, {@code <article>}), only that is kept. The walk is
 * iterative and skips anything nested deeper than a limit, so hostile pages cannot exhaust the
 * stack or the time.
 */
public final class HtmlText {
  /** A page's title and text, paragraphs separated by blank lines. */
  public record Document(String title, String text) {}

  private static final Set<String> DROP =
      Set.of(
          "script",
          "style",
          "noscript",
          "template",
          "iframe",
          "svg",
          "canvas",
          "form",
          "button",
          "input",
          "select",
          "textarea",
          "nav",
          "header",
          "footer",
          "aside",
          "object",
          "embed",
          "video",
          "audio",
          "map",
          "dialog",
          "head");
  private static final Set<String> BLOCK =
      Set.of(
          "p",
          "div",
          "section",
          "article",
          "main",
          "h1",
          "h2",
          "h3",
          "h4",
          "h5",
          "h6",
          "li",
          "ul",
          "ol",
          "dl",
          "dt",
          "dd",
          "table",
          "tr",
          "thead",
          "tbody",
          "tfoot",
          "blockquote",
          "pre",
          "figure",
          "figcaption",
          "caption",
          "address",
          "hr",
          "details",
          "summary");
  private static final Set<String> PARAGRAPH =
      Set.of(
          "p",
          "h1",
          "h2",
          "h3",
          "h4",
          "h5",
          "h6",
          "table",
          "ul",
          "ol",
          "dl",
          "blockquote",
          "pre",
          "figure");
  private static final Pattern BOILERPLATE =
      Pattern.compile(
          "^(nav|navbar|navigation|menu|menubar|sidebar|side-bar|footer|site-footer|site-header|masthead|"
              + "cookie|cookies|cookie-banner|cookie-notice|consent|gdpr|banner|breadcrumb|breadcrumbs|"
              + "ad|ads|advert|adverts|advertisement|advertising|sponsor|sponsored|promo|promotion|"
              + "share|sharing|social|social-share|newsletter|subscribe|subscription|popup|modal|"
              + "related|related-posts|recommended|comments|comment-list|skip-link|toolbar|pagination)$");
  private static final Set<String> ROLES =
      Set.of("navigation", "banner", "contentinfo", "complementary", "search");

  private HtmlText() {}

  /** Extracts the readable text of {@code html}. */
  public static Document extract(String html, String baseUrl, int maxDepth) {
    org.jsoup.nodes.Document doc = Jsoup.parse(html, baseUrl);
    String title = doc.title().strip();
    Element root = content(doc);
    StringBuilder out = new StringBuilder(Math.min(html.length(), 1 << 20));
    int baseDepth = depth(root);
    NodeTraversor.filter(
        new NodeFilter() {
          private int preDepth;

          @Override
          public FilterResult head(Node node, int depth) {
            if (depth + baseDepth > maxDepth) {
              return FilterResult.SKIP_ENTIRELY;
            }
            if (node instanceof TextNode text) {
              if (preDepth > 0) {
                out.append(text.getWholeText());
              } else {
                appendCollapsed(out, text.text());
              }
              return FilterResult.CONTINUE;
            }
            if (!(node instanceof Element e)) {
              return FilterResult.SKIP_ENTIRELY; // comments, doctype, data nodes
            }
            String tag = e.normalName();
            if (dropped(e, tag)) {
              return FilterResult.SKIP_ENTIRELY;
            }
            if (tag.equals("br")) {
              newline(out);
            } else if (tag.equals("td") || tag.equals("th")) {
              if (e.elementSiblingIndex() > 0) {
                out.append(" | ");
              }
            } else if (BLOCK.contains(tag)) {
              if (PARAGRAPH.contains(tag)) {
                blankLine(out);
              } else {
                newline(out);
              }
              if (tag.length() == 2 && tag.charAt(0) == 'h' && Character.isDigit(tag.charAt(1))) {
                out.append("#".repeat(tag.charAt(1) - '0')).append(' ');
              } else if (tag.equals("li")) {
                out.append("- ");
              }
              if (tag.equals("pre")) {
                preDepth++;
              }
            }
            return FilterResult.CONTINUE;
          }

          @Override
          public FilterResult tail(Node node, int depth) {
            if (node instanceof Element e) {
              String tag = e.normalName();
              if (tag.equals("pre")) {
                preDepth--;
              }
              if (PARAGRAPH.contains(tag)) {
                blankLine(out);
              } else if (BLOCK.contains(tag)) {
                newline(out);
              }
            }
            return FilterResult.CONTINUE;
          }
        },
        root);
    return new Document(title, tidy(out));
  }

  /** The page's main content when it marks it; else the body. */
  private static Element content(org.jsoup.nodes.Document doc) {
    Element main = doc.selectFirst("main, [role=main]");
    if (main != null && main.text().length() > 200) {
      return main;
    }
    var articles = doc.select("article");
    if (articles.size() == 1 && articles.first().text().length() > 200) {
      return articles.first();
    }
    return doc.body() == null ? doc : doc.body();
  }

  private static int depth(Element e) {
    int d = 0;
    for (Element p = e.parent(); p != null; p = p.parent()) {
      d++;
    }
    return d;
  }

  private static boolean dropped(Element e, String tag) {
    if (DROP.contains(tag)) {
      return true;
    }
    if (e.hasAttr("hidden") || "true".equalsIgnoreCase(e.attr("aria-hidden"))) {
      return true;
    }
    String style = e.attr("style").toLowerCase(Locale.ROOT).replace(" ", "");
    if (style.contains("display:none") || style.contains("visibility:hidden")) {
      return true;
    }
    if (ROLES.contains(e.attr("role").toLowerCase(Locale.ROOT))) {
      return true;
    }
    for (String token : e.classNames()) {
      if (BOILERPLATE.matcher(token.toLowerCase(Locale.ROOT)).matches()) {
        return true;
      }
    }
    String id = e.id().toLowerCase(Locale.ROOT);
    return !id.isEmpty() && BOILERPLATE.matcher(id).matches();
  }

  private static void appendCollapsed(StringBuilder out, String text) {
    if (text.isEmpty()) {
      return;
    }
    boolean startsSpace = Character.isWhitespace(text.charAt(0));
    String t = text.strip();
    if (t.isEmpty()) {
      if (out.length() > 0 && !Character.isWhitespace(out.charAt(out.length() - 1))) {
        out.append(' ');
      }
      return;
    }
    if (startsSpace && out.length() > 0 && !Character.isWhitespace(out.charAt(out.length() - 1))) {
      out.append(' ');
    }
    out.append(t);
    if (Character.isWhitespace(text.charAt(text.length() - 1))) {
      out.append(' ');
    }
  }

  private static void newline(StringBuilder out) {
    trimTrailingSpaces(out);
    if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
      out.append('\n');
    }
  }

  private static void blankLine(StringBuilder out) {
    newline(out);
    if (out.length() > 1 && out.charAt(out.length() - 2) != '\n') {
      out.append('\n');
    }
  }

  private static void trimTrailingSpaces(StringBuilder out) {
    int n = out.length();
    while (n > 0 && out.charAt(n - 1) == ' ') {
      n--;
    }
    out.setLength(n);
  }

  /** Lines trimmed, runs of blank lines collapsed to one, lines that are only "-" dropped. */
  private static String tidy(StringBuilder raw) {
    StringBuilder out = new StringBuilder(raw.length());
    int blank = 0;
    for (String line : raw.toString().split("\n", -1)) {
      String l = line.strip();
      if (l.isEmpty() || l.equals("-") || l.equals("|")) {
        blank++;
        continue;
      }
      if (out.length() > 0) {
        out.append(blank > 0 ? "\n\n" : "\n");
      }
      out.append(l);
      blank = 0;
    }
    return out.toString();
  }
}
