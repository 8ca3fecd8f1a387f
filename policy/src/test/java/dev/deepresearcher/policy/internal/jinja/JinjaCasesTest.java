package dev.deepresearcher.policy.internal.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The engine against Python's Jinja2 configured as transformers renders chat templates: every case
 * in jinja/cases.json (written by tools/reference/jinja_reference.py) renders to the same text, or
 * fails where Python fails.
 */
class JinjaCasesTest {
  record Case(
      String name, String template, Map<String, Object> context, String output, String error) {}

  record Cases(String source, List<Case> cases) {}

  @TestFactory
  Stream<DynamicTest> everyCaseRendersLikePythonJinja2() throws IOException {
    Cases cases;
    try (InputStream in = JinjaCasesTest.class.getResourceAsStream("/jinja/cases.json")) {
      cases = new ObjectMapper().readValue(in, new TypeReference<Cases>() {});
    }
    return cases.cases().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.name(),
                    () -> {
                      if (c.error() != null) {
                        assertThrows(
                            TemplateException.class,
                            () -> JinjaTemplate.compile(c.template()).render(c.context()),
                            c.error());
                      } else {
                        assertEquals(
                            c.output(), JinjaTemplate.compile(c.template()).render(c.context()));
                      }
                    }));
  }
}
