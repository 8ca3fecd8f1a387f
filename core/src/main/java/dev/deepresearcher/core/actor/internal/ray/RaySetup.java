package dev.deepresearcher.core.actor.internal.ray;

import dev.deepresearcher.core.actor.ActorException;
import dev.deepresearcher.core.config.ClusterConfig;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * What a driver needs before {@code Ray.init()}: where Ray's Java runtime is, the code search path
 * worker JVMs load our classes from, and the flags those JVMs start with.
 */
final class RaySetup {
  /** Ray needs these on JDK 17+ (its serializer reflects into the JDK); valid on every JDK 9+. */
  static final List<String> ADD_OPENS =
      List.of(
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.math=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED");

  /** The folder {@code scripts/ray-cluster} installs Ray into, under the repository root. */
  static final String VENV = ".ray/venv";

  private static final String RUNTIME_CLASS = "io/ray/runtime/DefaultRayRuntimeFactory.class";

  private RaySetup() {}

  /** Whether Ray's runtime is on this application's own classpath already. */
  static boolean runtimeOnClasspath(ClassLoader loader) {
    return loader.getResource(RUNTIME_CLASS) != null;
  }

  /**
   * The {@code ray_dist.jar} to load: {@code cluster.ray_jar}, else the one in the venv {@code
   * scripts/ray-cluster} creates under the repository root ({@code dr.root}, else the working
   * directory).
   *
   * @throws ActorException naming both ways to provide it
   */
  static Path rayJar(ClusterConfig config) {
    String property = System.getProperty("dr.root");
    return rayJar(config, Path.of(property == null || property.isBlank() ? "" : property));
  }

  /** {@link #rayJar(ClusterConfig)} with the repository root given. */
  static Path rayJar(ClusterConfig config, Path root) {
    if (config.rayJar() != null) {
      Path jar = config.rayJar().toAbsolutePath().normalize();
      if (!Files.isRegularFile(jar)) {
        throw new ActorException(
            "cluster.ray_jar is "
                + jar
                + ", which is not a file; point it at ray_dist.jar of the ray Python package the"
                + " cluster runs (<site-packages>/ray/jars/ray_dist.jar), or set it to null to use"
                + " the one scripts/ray-cluster installs");
      }
      return jar;
    }
    Path lib = root.toAbsolutePath().resolve(VENV).resolve("lib");
    if (Files.isDirectory(lib)) {
      try (DirectoryStream<Path> pythons = Files.newDirectoryStream(lib, "python*")) {
        for (Path python : pythons) {
          Path jar = python.resolve("site-packages/ray/jars/ray_dist.jar");
          if (Files.isRegularFile(jar)) {
            return jar;
          }
        }
      } catch (IOException e) {
        // reported below like a missing venv
      }
    }
    throw new ActorException(
        "the ray backend needs Ray's Java runtime (ray_dist.jar), which is neither on the"
            + " classpath nor in "
            + lib
            + "/python*/site-packages/ray/jars/; run scripts/ray-cluster start (it installs Ray"
            + " there and starts a head), or set cluster.ray_jar to the ray_dist.jar of the ray"
            + " package your cluster runs");
  }

  /**
   * The code search path of worker JVMs: every entry of this JVM's classpath, absolute (relative
   * entries crash workers), with the entries of manifest-only jars (Surefire's, {@code java -jar})
   * expanded, and without Ray's own jars, which workers have already.
   */
  static List<String> codeSearchPath(String classPath) {
    Set<String> out = new LinkedHashSet<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        add(Path.of(entry).toAbsolutePath().normalize(), out, 0);
      }
    }
    return List.copyOf(out);
  }

  private static void add(Path entry, Set<String> out, int depth) {
    if (!Files.exists(entry)) {
      return;
    }
    String name = entry.getFileName() == null ? "" : entry.getFileName().toString();
    if (name.startsWith("ray-api-") || name.equals("ray_dist.jar")) {
      return;
    }
    if (!out.add(entry.toString()) || depth > 2 || !name.endsWith(".jar")) {
      return;
    }
    for (Path listed : manifestClassPath(entry)) {
      add(listed, out, depth + 1);
    }
  }

  private static List<Path> manifestClassPath(Path jar) {
    List<Path> paths = new ArrayList<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      String classPath =
          manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
      if (classPath == null) {
        return paths;
      }
      URI base = jar.toUri();
      for (String item : classPath.trim().split("\\s+")) {
        if (item.isEmpty()) {
          continue;
        }
        try {
          URI uri = base.resolve(item);
          if ("file".equals(uri.getScheme())) {
            paths.add(Path.of(uri).toAbsolutePath().normalize());
          }
        } catch (IllegalArgumentException e) {
          // an entry that is not a local file: workers could not use it either
        }
      }
    } catch (IOException e) {
      // not a readable jar: keep the entry itself
    }
    return paths;
  }

  /**
   * The flags worker JVMs start with: the opens Ray needs, the flags that keep newer JDKs quiet
   * about native access when the workers' Java accepts them, then the user's.
   *
   * @param workerJava the workers' Java feature version, 0 when unknown
   */
  static List<String> workerJvmOptions(int workerJava, List<String> user) {
    List<String> options = new ArrayList<>(ADD_OPENS);
    if (workerJava >= 22) {
      options.add("--enable-native-access=ALL-UNNAMED"); // JNI (Ray's core worker) warns from 24
    }
    if (workerJava >= 23) {
      options.add("--sun-misc-unsafe-memory-access=allow"); // not a valid flag before 23
    }
    options.addAll(user);
    return options;
  }
}
