package dev.deepresearcher.core.config;

import dev.deepresearcher.core.config.internal.Binder;
import dev.deepresearcher.core.config.internal.ConfigYaml;
import dev.deepresearcher.core.config.internal.Node;
import dev.deepresearcher.core.config.internal.Node.MapNode;
import dev.deepresearcher.core.config.internal.Node.Origin;
import dev.deepresearcher.core.config.internal.YamlDocuments;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loads the configuration in three layers and validates it in one place:
 *
 * <ol>
 *   <li>{@code configs/defaults.yaml} (shipped on the classpath), where every key is documented;
 *   <li>an optional user YAML, whose keys override the defaults;
 *   <li>{@code a.b.c=value} overrides from the command line, whose values are YAML ({@code
 *       data.val_files=[a.parquet,b.jsonl]}, {@code evaluate.judge.url=null}).
 * </ol>
 *
 * <p>Every problem is reported at once in one {@link ConfigException}: unknown keys (with "did you
 * mean"), wrong types, values out of range, required values still {@code ???}, secrets written
 * where only an environment variable's name belongs.
 *
 * <pre>{@code
 * DeepResearcherConfig c = ConfigLoader.load(Path.of("configs/my.yaml"), List.of("run.seed=7"));
 * }</pre>
 */
public final class ConfigLoader {
  /** Where the defaults live on the classpath; the build copies {@code configs/defaults.yaml}. */
  public static final String DEFAULTS_RESOURCE = "defaults.yaml";

  private static final Pattern KEY_PATH = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

  private ConfigLoader() {}

  /** The defaults alone. */
  public static DeepResearcherConfig defaults() {
    return load(null, List.of());
  }

  /**
   * Loads defaults, then {@code userYaml} (may be {@code null}), then {@code overrides}.
   *
   * @throws ConfigException listing every problem, each with its key path and origin
   */
  public static DeepResearcherConfig load(Path userYaml, List<String> overrides) {
    return load(DeepResearcherConfig.class, readDefaults(), userYaml, overrides);
  }

  /**
   * Loads a configuration of any record type from defaults given as YAML text; the general form
   * behind {@link #load(Path, List)}, for tools that carry their own defaults, and for tests.
   *
   * @param defaultsSource the name problems use for the defaults, e.g. {@code defaults.yaml}
   */
  public static <T extends Record> T load(
      Class<T> type,
      String defaultsYaml,
      String defaultsSource,
      Path userYaml,
      List<String> overrides) {
    List<ConfigProblem> problems = new ArrayList<>();
    Node defaults = YamlDocuments.parse(new StringReader(defaultsYaml), defaultsSource, problems);
    if (defaults == null) {
      throw new ConfigException(problems);
    }
    return load(type, defaults, userYaml, overrides);
  }

  private static <T extends Record> T load(
      Class<T> type, Node defaults, Path userYaml, List<String> overrides) {
    List<ConfigProblem> problems = new ArrayList<>();
    Node merged = defaults;
    if (userYaml != null) {
      Node user = readFile(userYaml, problems);
      if (user != null) {
        merged = Node.merge(merged, user);
      }
    }
    for (int i = 0; i < overrides.size(); i++) {
      Node override = parseOverride(overrides.get(i), problems);
      if (override != null) {
        merged = Node.merge(merged, override);
      }
    }
    T config = new Binder(type, problems).bind(type, merged);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }

  /** The resolved configuration as YAML, e.g. to store beside a run's outputs. */
  public static String toYaml(Record config) {
    return ConfigYaml.dump(config);
  }

  private static Node readDefaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            DEFAULTS_RESOURCE
                + " is missing from the classpath; the build copies configs/defaults.yaml");
      }
      List<ConfigProblem> problems = new ArrayList<>();
      Node node =
          YamlDocuments.parse(
              new InputStreamReader(in, StandardCharsets.UTF_8), "defaults.yaml", problems);
      if (node == null) {
        throw new ConfigException(problems);
      }
      return node;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + DEFAULTS_RESOURCE, e);
    }
  }

  private static Node readFile(Path file, List<ConfigProblem> problems) {
    String source = file.toString();
    if (Files.isDirectory(file)) {
      problems.add(new ConfigProblem("", "is a folder; --config takes a YAML file", source));
      return null;
    }
    try (Reader reader =
        new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder())) {
      Node node = YamlDocuments.parse(reader, source, problems);
      if (node != null && !(node instanceof MapNode)) {
        problems.add(
            new ConfigProblem(
                "", "a config file holds sections of keys (a YAML map) at the top level", source));
        return null;
      }
      return node;
    } catch (NoSuchFileException e) {
      problems.add(new ConfigProblem("", "config file not found", source));
      return null;
    } catch (MalformedInputException e) {
      problems.add(new ConfigProblem("", "the config file is not valid UTF-8", source));
      return null;
    } catch (IOException e) {
      problems.add(new ConfigProblem("", "cannot read the config file: " + e.getMessage(), source));
      return null;
    }
  }

  private static Node parseOverride(String override, List<ConfigProblem> problems) {
    int eq = override.indexOf('=');
    String key = eq < 0 ? override : override.substring(0, eq);
    String source = "override " + key;
    if (eq < 0) {
      problems.add(
          new ConfigProblem(
              "",
              "command-line override '" + override + "' must look like key.path=value",
              "command line"));
      return null;
    }
    if (key.startsWith("--")) {
      problems.add(
          new ConfigProblem(
              key.substring(2),
              "overrides are written without dashes: " + key.substring(2) + "=<value>",
              source));
      return null;
    }
    if (!KEY_PATH.matcher(key).matches()) {
      problems.add(
          new ConfigProblem(
              key, "not a key path; write dotted keys such as evaluate.judge.model", source));
      return null;
    }
    Node value = YamlDocuments.parseValue(override.substring(eq + 1), source, problems);
    if (value == null) {
      return null;
    }
    String[] parts = key.split("\\.");
    Node node = value;
    Origin origin = Origin.of(source);
    for (int i = parts.length - 1; i >= 0; i--) {
      Map<String, Node> entries = new LinkedHashMap<>();
      entries.put(parts[i], node);
      node = new MapNode(entries, Map.of(parts[i], origin), origin);
    }
    return node;
  }
}
