package dev.deepresearcher.core.config.internal;

import dev.deepresearcher.core.config.Durations;
import dev.deepresearcher.core.config.SecretEnv;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Writes configuration records back as YAML that {@link Binder} reads to the same records. */
public final class ConfigYaml {
  private ConfigYaml() {}

  /** {@code config} as a YAML document with snake_case keys. */
  public static String dump(Record config) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setWidth(120);
    return new Yaml(options).dump(toPlain(config));
  }

  static Object toPlain(Object value) {
    return switch (value) {
      case null -> null;
      case SecretEnv s -> s.variable();
      case Record r -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
          try {
            map.put(Binder.snake(c.getName()), toPlain(c.getAccessor().invoke(r)));
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
          }
        }
        yield map;
      }
      case List<?> list -> {
        List<Object> out = new ArrayList<>();
        list.forEach(item -> out.add(toPlain(item)));
        yield out;
      }
      case Map<?, ?> map -> {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), toPlain(v)));
        yield out;
      }
      case Enum<?> e -> Binder.configName(e);
      case Duration d -> Durations.format(d);
      case Path p -> p.toString();
      case URI u -> u.toString();
      default -> value;
    };
  }
}
