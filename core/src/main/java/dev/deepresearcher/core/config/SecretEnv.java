package dev.deepresearcher.core.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of an environment variable that holds a secret (an API key or token), as configured
 * under a {@code *_env} key. Secrets are never read from YAML or the command line, and never
 * printed.
 *
 * <pre>{@code
 * String key = config.evaluate().judge().apiKeyEnv().resolve(System.getenv());
 * }</pre>
 *
 * @param variable the environment variable's name, e.g. {@code OPENAI_API_KEY}
 * @param keyPath the configuration key that named it, for error messages
 */
public record SecretEnv(String variable, String keyPath) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public SecretEnv {
    Objects.requireNonNull(variable, "variable");
    Objects.requireNonNull(keyPath, "keyPath");
    if (!isValidName(variable)) {
      // Do not echo the value: a user may have pasted the key itself here.
      throw new IllegalArgumentException(
          keyPath
              + " must name an environment variable (letters, digits and '_', e.g."
              + " OPENAI_API_KEY), not hold the secret itself; the value given is not shown");
    }
  }

  /** True when {@code name} can be an environment variable's name. */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * The secret's value from {@code env}.
   *
   * @throws ConfigException when the variable is unset or empty, saying which key named it
   */
  public String resolve(Map<String, String> env) {
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      throw new ConfigException(
          List.of(
              new ConfigProblem(
                  keyPath,
                  "environment variable "
                      + variable
                      + " is not set; export "
                      + variable
                      + "=<your key>, or name another variable with "
                      + keyPath
                      + "=<NAME>",
                  "environment")));
    }
    return value;
  }

  /** True when {@code env} has a non-empty value for the variable. */
  public boolean isSet(Map<String, String> env) {
    String value = env.get(variable);
    return value != null && !value.isBlank();
  }

  @Override
  public String toString() {
    return "$" + variable;
  }
}
