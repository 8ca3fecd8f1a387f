package dev.deepresearcher.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("user.yaml");
    Files.writeString(file, text);
    return file;
  }

  private static ConfigException problemsOf(Path yaml, String... overrides) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(yaml, List.of(overrides)));
  }

  private static ConfigProblem only(ConfigException e) {
    assertEquals(1, e.problems().size(), e.getMessage());
    return e.problems().get(0);
  }

  @Test
  void defaultsLoadIntoRecords() {
    DeepResearcherConfig c = ConfigLoader.defaults();
    assertEquals(42, c.run().seed());
    assertEquals(Path.of("runs"), c.run().outputDir());
    assertEquals(RewardName.DEEPRESEARCHER_F1, c.reward().name());
    assertEquals(List.of(), c.data().trainFiles());
    assertFalse(c.evaluate().judge().enabled());
    assertEquals("OPENAI_API_KEY", c.evaluate().judge().apiKeyEnv().variable());
    assertEquals(Duration.ofSeconds(30), c.evaluate().judge().maxBackoff());
    assertEquals(
        Path.of(System.getProperty("user.home"), ".cache/deepresearcher/cache.db"),
        c.cache().path());
  }

  @Test
  void userYamlOverridesDefaultsAndCommandLineOverridesWin() throws IOException {
    Path user =
        yaml(
            """
            run:
              seed: 7
            data:
              val_files: dev.parquet
            evaluate:
              judge:
                url: http://localhost:8000/v1
                concurrency: 4
            """);
    DeepResearcherConfig c =
        ConfigLoader.load(
            user,
            List.of("run.seed=9", "reward.name=squad_em", "data.train_files=[a.jsonl, b.parquet]"));
    assertEquals(9, c.run().seed());
    assertEquals(RewardName.SQUAD_EM, c.reward().name());
    assertEquals(List.of(Path.of("dev.parquet")), c.data().valFiles(), "one path is a list of one");
    assertEquals(List.of(Path.of("a.jsonl"), Path.of("b.parquet")), c.data().trainFiles());
    assertEquals(URI.create("http://localhost:8000/v1"), c.evaluate().judge().url());
    assertEquals(4, c.evaluate().judge().concurrency());
    assertEquals("gpt-4o-mini", c.evaluate().judge().model(), "untouched keys keep their default");
  }

  @Test
  void anOverrideCanSwitchAFeatureOffWithNull() throws IOException {
    Path user = yaml("evaluate:\n  judge:\n    url: https://api.example.com/v1\n");
    assertNull(
        ConfigLoader.load(user, List.of("evaluate.judge.url=null")).evaluate().judge().url());
  }

  @Test
  void unknownKeyIsAnErrorWithDidYouMean() throws IOException {
    ConfigProblem p = only(problemsOf(yaml("evaluate:\n  judge:\n    modle: gpt-4o\n")));
    assertEquals("evaluate.judge.modle", p.path());
    assertTrue(p.message().contains("did you mean 'model'?"), p.message());
    assertEquals(dir.resolve("user.yaml") + ":3:5", p.origin());
  }

  @Test
  void unknownKeyInTheWrongSectionPointsToWhereItLives() {
    ConfigProblem p = only(problemsOf(null, "run.max_backoff=5s"));
    assertEquals("run.max_backoff", p.path());
    assertTrue(p.message().contains("evaluate.judge.max_backoff"), p.message());
    assertEquals("override run.max_backoff", p.origin());
  }

  @Test
  void unknownKeyWithNothingCloseListsTheValidKeys() {
    ConfigProblem p = only(problemsOf(null, "reward.zzzzzzzz=1"));
    assertTrue(p.message().contains("the keys under reward are: name"), p.message());
  }

  @Test
  void wrongTypeNamesTheValueThePathAndTheExpectedType() throws IOException {
    ConfigProblem p = only(problemsOf(yaml("run:\n  seed: lots\n")));
    assertEquals("run.seed", p.path());
    assertEquals("expected an integer, got 'lots'", p.message());
    assertEquals(dir.resolve("user.yaml") + ":2:9", p.origin());
  }

  @Test
  void aSectionWhereAValueBelongsIsATypeError() {
    ConfigProblem p = only(problemsOf(null, "run.seed.x=1"));
    assertEquals("run.seed", p.path());
    assertTrue(p.message().startsWith("expected an integer, got a section"), p.message());
  }

  @Test
  void severalProblemsAreReportedAtOnce() throws IOException {
    Path user =
        yaml(
            """
            run:
              seed: 1.5
              output_dri: x
            reward:
              name: rouge
            evaluate:
              judge:
                concurrency: 0
                timeout: soon
                url: ftp://example.com
            """);
    ConfigException e = problemsOf(user, "cache.max_bytes=-1", "bogus");
    List<String> paths = e.problems().stream().map(ConfigProblem::path).toList();
    assertEquals(
        List.of(
            "",
            "run.output_dri",
            "run.seed",
            "reward.name",
            "cache.max_bytes",
            "evaluate.judge.url",
            "evaluate.judge.concurrency",
            "evaluate.judge.timeout"),
        paths,
        e.getMessage());
    String message = e.getMessage();
    assertTrue(message.startsWith("the configuration has 8 problems:"), message);
    assertTrue(message.contains("must look like key.path=value"), message);
    assertTrue(message.contains("did you mean 'output_dir'?"), message);
    assertTrue(
        message.contains("unknown value 'rouge'; choose one of: deepresearcher-f1"), message);
    assertTrue(message.contains("must be between 1 and 1024, got 0"), message);
    assertTrue(message.contains("must be at least 1, got -1"), message);
    assertTrue(message.contains("expected a duration such as 500ms, 30s, 5m, 2h or 7d"), message);
    assertTrue(message.contains("expected an http(s) URL"), message);
  }

  @Test
  void missingRequiredValueIsReported() {
    record Model(Path path, int layers) {}
    record Root(Model model) {}
    String defaults = "model:\n  path: ???\n  layers: 2\n";
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(Root.class, defaults, "test-defaults.yaml", null, List.of()));
    ConfigProblem p = only(e);
    assertEquals("model.path", p.path());
    assertTrue(p.message().contains("missing required value"), p.message());
    assertTrue(p.message().contains("model.path=<value>"), p.message());
    assertEquals("test-defaults.yaml:2:9", p.origin());

    Root ok =
        ConfigLoader.load(
            Root.class, defaults, "test-defaults.yaml", null, List.of("model.path=/m"));
    assertEquals(Path.of("/m"), ok.model().path());
  }

  @Test
  void nullIsOnlyAllowedWhereAKeyIsNullable() {
    ConfigProblem p = only(problemsOf(null, "evaluate.judge.model=null"));
    assertEquals("evaluate.judge.model", p.path());
    assertEquals("must be set; null is not allowed here", p.message());
  }

  @Test
  void aQuotedNullIsAString() {
    assertEquals(
        "null",
        ConfigLoader.load(null, List.of("evaluate.judge.model='null'")).evaluate().judge().model());
  }

  @Test
  void crossFieldRulesOfARecordAreReportedWithItsPath() {
    ConfigProblem p =
        only(
            problemsOf(
                null, "evaluate.judge.initial_backoff=10s", "evaluate.judge.max_backoff=2s"));
    assertEquals("evaluate.judge", p.path());
    assertEquals("max_backoff (2s) must be at least initial_backoff (10s)", p.message());
  }

  @Test
  void theDemoSftStageBoundsMustBeOrderedAndItsProbeNeedsDevQuestions() {
    ConfigProblem p = only(problemsOf(null, "demo.sft_steps=500", "demo.sft_max_steps=300"));
    assertEquals("demo", p.path());
    assertTrue(p.message().contains("sft_max_steps (300) is below sft_steps (500)"), p.message());
    assertTrue(p.message().contains("raise sft_max_steps to at least 500"), p.message());
    ConfigProblem q = only(problemsOf(null, "demo.dev_people=0"));
    assertTrue(q.message().contains("dev_people is 0"), q.message());
    assertEquals(
        0,
        ConfigLoader.load(null, List.of("demo.dev_people=0", "demo.sft_copy_target=0"))
            .demo()
            .devPeople());
  }

  @Test
  void aSecretInYamlIsRefusedWithoutEchoingIt() throws IOException {
    ConfigException e = problemsOf(yaml("evaluate:\n  judge:\n    api_key: sk-live-123456789\n"));
    ConfigProblem p = only(e);
    assertEquals("evaluate.judge.api_key", p.path());
    assertTrue(p.message().contains("secrets are never read from YAML"), p.message());
    assertTrue(p.message().contains("'evaluate.judge.api_key_env'"), p.message());
    assertFalse(e.getMessage().contains("sk-live"), e.getMessage());
  }

  @Test
  void aKeyPastedWhereItsVariableNameBelongsIsRefusedWithoutEchoingIt() {
    ConfigException e = problemsOf(null, "evaluate.judge.api_key_env=sk-live-123456789");
    ConfigProblem p = only(e);
    assertEquals("evaluate.judge.api_key_env", p.path());
    assertTrue(p.message().contains("must name an environment variable"), p.message());
    assertFalse(e.getMessage().contains("sk-live"), e.getMessage());
  }

  @Test
  void aSecretOnTheCommandLineIsRefusedWithoutEchoingIt() {
    ConfigException e = problemsOf(null, "evaluate.judge.token=abcdef123");
    assertTrue(only(e).message().contains("secrets are never read"), e.getMessage());
    assertFalse(e.getMessage().contains("abcdef123"), e.getMessage());
  }

  @Test
  void urlsWithCredentialsAreRefusedWithoutEchoingThem() {
    ConfigException e = problemsOf(null, "evaluate.judge.url=https://user:hunter2@example.com/v1");
    assertTrue(only(e).message().contains("carries credentials"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void secretsResolveFromTheEnvironmentOrSayWhichVariableIsMissing() {
    SecretEnv key = ConfigLoader.defaults().evaluate().judge().apiKeyEnv();
    assertEquals("k", key.resolve(Map.of("OPENAI_API_KEY", "k")));
    ConfigException e = assertThrows(ConfigException.class, () -> key.resolve(Map.of()));
    assertTrue(
        e.getMessage().contains("environment variable OPENAI_API_KEY is not set"), e.getMessage());
    assertTrue(e.getMessage().contains("evaluate.judge.api_key_env"), e.getMessage());
  }

  @Test
  void yamlSyntaxErrorsPointAtTheLine() throws IOException {
    ConfigProblem p = only(problemsOf(yaml("run:\n  seed: [1, 2\n")));
    assertTrue(p.message().startsWith("not valid YAML"), p.message());
    assertTrue(p.origin().startsWith(dir.resolve("user.yaml") + ":"), p.origin());
  }

  @Test
  void duplicateKeysAreErrors() throws IOException {
    ConfigProblem p = only(problemsOf(yaml("run:\n  seed: 1\n  seed: 2\n")));
    assertTrue(p.message().contains("duplicate key"), p.message());
  }

  @Test
  void aMissingConfigFileIsAClearError() {
    ConfigProblem p = only(problemsOf(dir.resolve("nope.yaml")));
    assertEquals("config file not found", p.message());
    assertEquals(dir.resolve("nope.yaml").toString(), p.origin());
  }

  @Test
  void overridesWithDashesGetAHint() {
    ConfigProblem p = only(problemsOf(null, "--run.seed=3"));
    assertEquals("overrides are written without dashes: run.seed=<value>", p.message());
  }

  @Test
  void theResolvedConfigurationRoundTripsThroughYaml() throws IOException {
    DeepResearcherConfig c =
        ConfigLoader.load(
            null,
            List.of(
                "run.seed=3",
                "data.val_files=[x.parquet]",
                "evaluate.judge.url=https://api.example.com/v1",
                "evaluate.judge.initial_backoff=250ms"));
    Path dumped = dir.resolve("resolved.yaml");
    Files.writeString(dumped, ConfigLoader.toYaml(c));
    assertEquals(c, ConfigLoader.load(dumped, List.of()));
  }

  @Test
  void durationsParseAndFormat() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
    assertEquals(Duration.ofDays(7), Durations.parse("7d"));
    assertEquals("7d", Durations.format(Duration.ofDays(7)));
    assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
    assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("30"));
  }

  @Test
  void everyKeyInTheDefaultsFileIsDocumented() throws IOException {
    Path defaults = Path.of(System.getProperty("dr.root", ".."), "configs", "defaults.yaml");
    List<String> lines = Files.readAllLines(defaults);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      boolean isKey = line.matches("\\s*[a-z_]+:.*");
      boolean opensSection = line.matches("\\s*[a-z_]+:\\s*");
      if (isKey && !opensSection) {
        String previous = lines.get(i - 1).trim();
        assertTrue(
            previous.startsWith("#"),
            "configs/defaults.yaml line "
                + (i + 1)
                + " ("
                + line.trim()
                + ") has no comment above it");
      }
    }
  }
}
