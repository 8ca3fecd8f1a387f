package dev.deepresearcher.core.actor.internal.ray;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code /tmp/ray/<millis>} folders a Ray driver leaves: each {@code Ray.init()} in cluster
 * mode copies Ray's 41 MB native library into a new one and never removes it (PLATFORM.md). Once
 * loaded, the library no longer needs its file, so the folder our own init made is removed right
 * after.
 */
final class NativeCopies {
  static final Path RAY_TMP = Path.of("/tmp/ray");

  private final Set<Path> before;
  private final long startedMillis;

  private NativeCopies(Set<Path> before, long startedMillis) {
    this.before = before;
    this.startedMillis = startedMillis;
  }

  /** Notes the folders there before an init. */
  static NativeCopies before() {
    return new NativeCopies(list(), System.currentTimeMillis());
  }

  /** Removes the folders that appeared since, named by a time since the init began. */
  void deleteNew() {
    for (Path dir : list()) {
      if (!before.contains(dir)
          && Long.parseLong(dir.getFileName().toString()) >= startedMillis - 1000) {
        deleteTree(dir);
      }
    }
  }

  private static Set<Path> list() {
    Set<Path> dirs = new HashSet<>();
    if (!Files.isDirectory(RAY_TMP)) {
      return dirs;
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(RAY_TMP)) {
      for (Path p : stream) {
        if (p.getFileName().toString().matches("[0-9]{10,}") && Files.isDirectory(p)) {
          dirs.add(p);
        }
      }
    } catch (IOException e) {
      // nothing to clean
    }
    return dirs;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // best effort: scripts/ray-cluster stop removes what is left
                }
              });
    } catch (IOException e) {
      // best effort
    }
  }
}
