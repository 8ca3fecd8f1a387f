package dev.deepresearcher.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.data.ChatMessage;
import dev.deepresearcher.core.data.QaExample;
import dev.deepresearcher.core.testing.RunCli;
import dev.deepresearcher.core.testing.TestPaths;
import dev.deepresearcher.evaluate.cli.CalculateMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloutFilesTest {
  @TempDir Path dir;

  private static QaExample q(String id, String source, String question, String... truths) {
    return new QaExample(
        id,
        source,
        List.of(ChatMessage.user(question)),
        List.of(truths),
        null,
        Map.of("index", id),
        0);
  }

  private static final List<QaExample> DATA =
      List.of(q("a", "nq", "capital of France?", "Paris"), q("b", "tq", "2+2?", "4", "four"));

  private Path write(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, List.of(lines));
    return file;
  }

  private List<EvalItem> pair(Path file, List<QaExample> data) throws IOException {
    return RolloutFiles.pair(RolloutFiles.read(file), data, "data.parquet");
  }

  @Test
  void deepResearchersFormatPairsByPosition() throws IOException {
    Path file =
        write(
            "r.json",
            "[{\"idx\": 0, \"question\": \"x\", \"message_str\": \"<answer>Paris</answer>\"},",
            " {\"idx\": 1, \"question\": \"y\", \"message_str\": \"<answer>five</answer>\"}]");
    List<EvalItem> items = pair(file, DATA);
    assertEquals("nq", items.get(0).dataSource());
    assertEquals(List.of("4", "four"), items.get(1).groundTruths());
    MetricsReport report = Metrics.compute(items, null, 1, false);
    assertEquals(1.0, report.perSource().get("nq").f1());
    assertEquals(0.0, report.perSource().get("tq").f1());
    assertEquals(0.5, report.overall().em());
  }

  @Test
  void aRowCountMismatchNamesBothCounts() throws IOException {
    Path file = write("r.json", "[{\"message_str\": \"<answer>Paris</answer>\"}]");
    EvaluateException e = assertThrows(EvaluateException.class, () -> pair(file, DATA));
    assertEquals(
        file
            + " holds 1 rollouts but data.parquet has 2 rows; DeepResearcher's format is paired with"
            + " the data by position, so both must have the same length",
        e.getMessage());
  }

  @Test
  void malformedJsonSaysWhere() throws IOException {
    Path list = write("r.json", "[{\"message_str\": \"a\"},", "  {\"message_str\": oops}]");
    EvaluateException e = assertThrows(EvaluateException.class, () -> RolloutFiles.read(list));
    assertTrue(e.getMessage().startsWith(list + " line 2 column "), e.getMessage());
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());

    Path lines = write("r.jsonl", "{\"response\": \"a\"}", "{\"response\": ");
    e = assertThrows(EvaluateException.class, () -> RolloutFiles.read(lines));
    assertTrue(e.getMessage().startsWith(lines + ":2: not valid JSON"), e.getMessage());

    Path truncated = write("t.json", "[{\"message_str\": \"a\"}");
    e = assertThrows(EvaluateException.class, () -> RolloutFiles.read(truncated));
    assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());
  }

  @Test
  void anUnknownFormatOrAnEmptyFileIsAClearError() throws IOException {
    Path csv = write("r.csv", "idx,response");
    EvaluateException e = assertThrows(EvaluateException.class, () -> RolloutFiles.read(csv));
    assertTrue(e.getMessage().startsWith(csv + ": unknown rollout format;"), e.getMessage());
    Path empty = write("e.json");
    e = assertThrows(EvaluateException.class, () -> RolloutFiles.read(empty));
    assertTrue(e.getMessage().contains("(the file is empty)"), e.getMessage());
  }

  @Test
  void ourFormatPairsByIdxOrIdAndChecksTheQuestion() throws IOException {
    Path byIdx = write("i.jsonl", "{\"idx\": 1, \"response\": \"<answer>four</answer>\"}");
    assertEquals("tq", pair(byIdx, DATA).get(0).dataSource());

    Path byId =
        write(
            "d.jsonl",
            "{\"id\": \"a\", \"question\": \"capital of France?\", \"response\": \"<answer>x</answer>\"}",
            "{\"id\": \"a\", \"response\": \"<answer>Paris</answer>\"}");
    List<EvalItem> items = pair(byId, DATA);
    assertEquals(2, items.size(), "several rollouts of one question are all scored");
    assertEquals(0.5, Metrics.compute(items, null, 1, false).overall().f1());

    Path unknown = write("u.jsonl", "{\"id\": \"zz\", \"response\": \"r\"}");
    assertEquals(
        unknown + ":1: id 'zz' is not in data.parquet",
        assertThrows(EvaluateException.class, () -> pair(unknown, DATA)).getMessage());

    Path outside = write("o.jsonl", "{\"idx\": 5, \"response\": \"r\"}");
    assertEquals(
        outside + ":1: idx 5 is outside data.parquet (rows 0 to 1)",
        assertThrows(EvaluateException.class, () -> pair(outside, DATA)).getMessage());

    Path misaligned = write("m.jsonl", "{\"idx\": 0, \"question\": \"2+2?\", \"response\": \"r\"}");
    String message =
        assertThrows(EvaluateException.class, () -> pair(misaligned, DATA)).getMessage();
    assertTrue(message.contains("its question does not match data.parquet row 0"), message);
  }

  @Test
  void withoutDataEveryLineNeedsItsGroundTruth() throws IOException {
    Path ok =
        write(
            "ok.jsonl",
            "{\"data_source\": \"nq\", \"response\": \"<answer>Paris</answer>\", \"ground_truth\": [\"Paris\"]}");
    assertEquals(1.0, Metrics.compute(pair(ok, null), null, 1, false).overall().em());
    Path missing = write("m.jsonl", "{\"data_source\": \"nq\", \"response\": \"r\"}");
    String message = assertThrows(EvaluateException.class, () -> pair(missing, null)).getMessage();
    assertTrue(message.startsWith(missing + ":1: a rollout without data needs"), message);
  }

  @Test
  void theCommandLineReportsMissingFilesAndBadInputWithoutAStackTrace() throws IOException {
    RunCli.Result r =
        RunCli.run(
            new CalculateMetrics(Map.of()), "--rollouts", dir.resolve("none.json").toString());
    assertEquals(1, r.exitCode());
    assertEquals("error: no such file: " + dir.resolve("none.json") + "\n", r.err());

    Path file = write("r.json", "[{\"message_str\": \"<answer>Paris</answer>\"}]");
    r =
        RunCli.run(
            new CalculateMetrics(Map.of()),
            "--data",
            TestPaths.data("deepresearcher/dev.parquet").toString(),
            "--rollouts",
            file.toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("holds 1 rollouts but"), r.err());
    assertTrue(r.err().contains("has 875 rows"), r.err());
    assertTrue(!r.err().contains("\tat "), r.err());
  }
}
