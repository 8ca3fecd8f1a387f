package dev.deepresearcher.policy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.testing.RunCli;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** scripts/generate on the tiny end-to-end model. */
class GenerateTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static String model() {
    try {
      return Path.of(
              GenerateTest.class.getResource("/qwen2/qwen2_tiny_e2e_tied_v1024/model").toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static RunCli.Result run(String... args) {
    return RunCli.run(new Generate(), args);
  }

  @Test
  void chatPromptPrintsIdsTextLogprobsAndFinishReason() throws Exception {
    RunCli.Result r =
        run(
            "--model",
            model(),
            "--prompt",
            "What is 2+2?",
            "--chat",
            "--max-new-tokens",
            "8",
            "--logprobs",
            "policy.device=cpu");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode out = JSON.readTree(r.out());
    // The fixture's greedy continuation of this very chat prompt (golden.json, row 0).
    assertEquals(JSON.readTree("[263, 124, 468, 9, 928, 739, 996, 338]"), out.get("ids"), r.out());
    assertEquals(8, out.get("logprobs").size());
    assertTrue(out.get("logprobs").get(0).asDouble() < 0);
    assertEquals("length", out.get("finish_reason").asText());
    assertTrue(out.get("text").isTextual());
  }

  @Test
  void idsBatchPrintsOneLinePerPromptAndSamplingIsSeeded() {
    String[] args = {
      "--model",
      model(),
      "--ids",
      "[[1, 2, 3], [5]]",
      "--temperature",
      "0.8",
      "--top-p",
      "0.9",
      "--seed",
      "3",
      "--max-new-tokens",
      "5"
    };
    RunCli.Result a = run(args);
    assertEquals(0, a.exitCode(), a.err());
    String[] lines = a.out().strip().split("\n");
    assertEquals(2, lines.length);
    assertTrue(lines[0].contains("\"logprobs\":null"), lines[0]);
    assertEquals(a.out(), run(args).out(), "same seed, same output");
  }

  @Test
  void userMistakesExitOneWithTheFixAndNoTrace() {
    RunCli.Result r = run("--model", model(), "--ids", "[1, 2, x]");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("--ids is not JSON"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());

    r = run("--model", model(), "--prompt", "hi", "--greedy", "--temperature", "1");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("choose one"), r.err());

    r = run("--model", model(), "--ids", "[99999]");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("99999"), r.err());

    r = run("--model", model(), "--ids", "[1]", "--chat");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("--chat renders text prompts"), r.err());

    r = run("--prompt", "hi");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("give --model DIR"), r.err());

    r = run("--model", model());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().startsWith("error: Missing required argument"), r.err());
  }
}
