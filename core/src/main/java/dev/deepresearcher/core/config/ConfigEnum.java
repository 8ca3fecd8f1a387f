package dev.deepresearcher.core.config;

import java.util.Locale;

/**
 * A closed set of choices in the configuration. Its YAML spelling is the constant's name in lower
 * case with {@code -} for {@code _} (e.g. {@code DEEPRESEARCHER_F1} is {@code deepresearcher-f1});
 * {@code _} is accepted too when reading.
 */
public interface ConfigEnum {
  /** The constant's name, as every enum has it. */
  String name();

  /** How this choice is written in YAML and on the command line. */
  default String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
