package dev.deepresearcher.search.internal.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Search snippets: the sentence richest in query words, then what follows, cut near a length. */
class SnippetTest {
  static final String PAGE =
      "Mira Tallow was born in Quellon. She is a painter. "
          + "Critics have written at length about the patience of her craft. ".repeat(8)
          + "Her instrument is the lute.";

  @Test
  void snippetStartsAtTheRichestSentenceAndStopsNearTheConfiguredLength() {
    String short100 = LocalBackend.snippet(PAGE, "Mira Tallow", 100);
    assertTrue(short100.startsWith("Mira Tallow was born in Quellon."), short100);
    assertTrue(short100.endsWith(" …"), short100);
    assertTrue(short100.length() <= 102 && short100.length() >= 50, short100.length() + "");
    String long300 = LocalBackend.snippet(PAGE, "Mira Tallow", 300);
    assertTrue(long300.length() > 200, long300);
    String later = LocalBackend.snippet(PAGE, "instrument lute", 100);
    assertEquals("… Her instrument is the lute.", later);
  }
}
