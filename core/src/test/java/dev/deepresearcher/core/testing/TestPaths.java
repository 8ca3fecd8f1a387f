package dev.deepresearcher.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the repository's own files (configs/, data/), from any module. */
public final class TestPaths {
  private TestPaths() {}

  /** The repository root: the {@code dr.root} property the build sets, else found upwards. */
  public static Path root() {
    String property = System.getProperty("dr.root");
    if (property != null && !property.isBlank()) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.exists(dir.resolve("configs/defaults.yaml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("cannot find the repository root (configs/defaults.yaml)");
  }

  /** A file under the repository's {@code data/} folder. */
  public static Path data(String relative) {
    return root().resolve("data").resolve(relative);
  }
}
