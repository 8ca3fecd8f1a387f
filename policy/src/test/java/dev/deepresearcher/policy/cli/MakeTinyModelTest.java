package dev.deepresearcher.policy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.config.PolicyDevice;
import dev.deepresearcher.core.testing.RunCli;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.policy.Sampling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/make-tiny-model: texts in, a loadable model folder out; mistakes as one error line. */
class MakeTinyModelTest {
  @TempDir Path tmp;

  @Test
  void textsFromJsonLinesAndPlainFilesMakeALoadableModel() throws IOException {
    Path corpus = tmp.resolve("corpus.jsonl");
    Files.writeString(
        corpus,
        "{\"id\": \"d1\", \"title\": \"Zorvath\", \"text\": \"Zorvath is a city in Quendor.\"}\n"
            + "\n"
            + "{\"id\": \"d2\", \"title\": \"Quendor\", \"text\": \"Quendor lies east of Zorvath.\"}\n");
    Path notes = tmp.resolve("notes.txt");
    Files.writeString(notes, "Who founded Zorvath? Ilsa Brennet founded Zorvath.\n");
    Path out = tmp.resolve("model");
    RunCli.Result r =
        RunCli.run(
            new MakeTinyModel(),
            "--texts",
            corpus + "," + notes,
            "--out",
            out.toString(),
            "--hidden",
            "32",
            "--layers",
            "1",
            "--intermediate",
            "64",
            "--context",
            "128",
            "--min-frequency",
            "1",
            "--seed",
            "3");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("tokenizer: ") && r.err().contains("model: "), r.err());
    assertFalse(r.err().contains("warning"), r.err());
    try (Policy policy = Policy.load(out, PolicyDevice.CPU, 0)) {
      assertEquals(32, policy.config().hiddenSize());
      assertEquals(1, policy.tokenizer().encode(" Zorvath").length);
      assertEquals(1, policy.tokenizer().encode(" Quendor").length);
      assertTrue(policy.generate(new int[] {1, 2}, Sampling.greedy(3)).tokens().length > 0);
    }
  }

  @Test
  void mistakesGiveOneErrorLineWithTheFix() throws IOException {
    Path text = Files.writeString(tmp.resolve("t.txt"), "some words");
    RunCli.Result r =
        RunCli.run(
            new MakeTinyModel(),
            "--texts",
            text.toString(),
            "--out",
            tmp.resolve("m").toString(),
            "--hidden",
            "130");
    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.err().startsWith("error: hiddenSize 130 is not divisible by numHeads 4"), r.err());
    r = RunCli.run(new MakeTinyModel(), "--texts", text.toString(), "--out", tmp.toString());
    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.err().contains("is not a model folder"), r.err());
    Path bad = Files.writeString(tmp.resolve("bad.jsonl"), "{\"text\": 1}\nnot json\n");
    r =
        RunCli.run(
            new MakeTinyModel(), "--texts", bad.toString(), "--out", tmp.resolve("x").toString());
    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.err().contains("bad.jsonl:2 is not JSON"), r.err());
    r = RunCli.run(new MakeTinyModel(), "--out", tmp.resolve("x").toString());
    assertEquals(2, r.exitCode(), r.err());
  }
}
