package dev.deepresearcher.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values are what CPython 3.11 prints for the same strings. */
class PythonReprTest {
  @Test
  void quotesAreChosenAsPythonChoosesThem() {
    assertEquals("'plain'", PythonRepr.string("plain"));
    assertEquals("\"it's\"", PythonRepr.string("it's"));
    assertEquals("'say \"hi\"'", PythonRepr.string("say \"hi\""));
    assertEquals("'both \\' and \"'", PythonRepr.string("both ' and \""));
  }

  @Test
  void unprintableCharactersAreEscapedAndOthersKept() {
    assertEquals("'tab\\there\\nnl\\r\\\\'", PythonRepr.string("tab\there\nnl\r\\"));
    assertEquals("'\\x00\\x7f\\xa0'", PythonRepr.string("\u0000\u007f\u00a0"));
    assertEquals("'\\u200b\\u2028'", PythonRepr.string("\u200b\u2028"));
    assertEquals("'café 中文 😀'", PythonRepr.string("café 中文 😀"));
    assertEquals("'\\U000e0001'", PythonRepr.string(new String(Character.toChars(0xE0001))));
  }

  @Test
  void listsReprTheirItems() {
    assertEquals("['paris', \"l'île\"]", PythonRepr.list(List.of("paris", "l'île")));
    assertEquals("[]", PythonRepr.list(List.of()));
  }
}
