package dev.deepresearcher.browse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.browse.internal.HtmlText;
import dev.deepresearcher.browse.internal.Paginator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlTextTest {
  static String resource(String name) throws IOException {
    try (InputStream in = HtmlTextTest.class.getResourceAsStream("/pages/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void boilerplateGoesAndContentStaysAsReadableBlocks() throws IOException {
    HtmlText.Document doc =
        HtmlText.extract(resource("article.html"), "https://zorblax.example/history", 256);
    assertEquals("Zorblax Institute – History", doc.title());
    String text = doc.text();
    assertEquals(
        """
        # History of the Zorblax Institute

        The Zorblax Institute was founded in 1911 by the astronomer Mira Quell in the coastal town of Vantor. Its first telescope, the Great Refractor, was completed in 1914.

        ## Directors

        Quell led the institute until 1932, when she was succeeded by Tomas Reyl.

        - Mira Quell (1911–1932)
        - Tomas Reyl (1932–1951)
        - Ines Okafor (1951–1977)

        ## Telescopes

        Name | Aperture | Year
        Great Refractor | 61 cm | 1914
        Quell Reflector | 1.2 m | 1938

        Today the institute studies comets, tides and the outer planets.""",
        text);
    for (String junk :
        List.of(
            "cookies",
            "Home",
            "News",
            "Popular posts",
            "CHEAP",
            "Hidden spam",
            "Share on",
            "Privacy",
            "tracking",
            "late script")) {
      assertFalse(text.contains(junk), junk + " leaked into: " + text);
    }
  }

  @Test
  void withoutAMainElementTheBodyIsRead() {
    HtmlText.Document doc =
        HtmlText.extract(
            "<html><body><p>One.</p><div>Two<br>lines</div><pre>  keep   spaces\n x</pre></body></html>",
            "https://x",
            256);
    assertEquals("One.\n\nTwo\nlines\n\nkeep   spaces\nx", doc.text());
  }

  @Test
  void deeplyNestedMarkupIsCutAtTheDepthLimitWithoutFailing() {
    StringBuilder html = new StringBuilder("<html><body><p>Top level text.</p>");
    html.append("<div>".repeat(100_000)).append("buried").append("</div>".repeat(100_000));
    html.append("</body></html>");
    HtmlText.Document doc = HtmlText.extract(html.toString(), "https://x", 256);
    assertTrue(doc.text().startsWith("Top level text."), doc.text());
    assertFalse(doc.text().contains("buried"));
  }

  @Test
  void textIsSplitIntoPagesAtParagraphBoundaries() {
    String text = "A".repeat(30) + "\n\n" + "B".repeat(30) + "\n\n" + "C".repeat(30);
    assertEquals(
        List.of("A".repeat(30) + "\n\n" + "B".repeat(30), "C".repeat(30)),
        Paginator.pages(text, 70));
    List<String> long1 = Paginator.pages("word ".repeat(100).strip(), 64);
    assertTrue(long1.stream().allMatch(p -> p.length() <= 64), long1.toString());
    assertEquals("word ".repeat(100).strip(), String.join(" ", long1), "nothing lost");
    assertEquals(
        List.of("x".repeat(50), "x".repeat(50)),
        Paginator.pages("x".repeat(100), 50),
        "no boundary: cut anywhere");
  }
}
