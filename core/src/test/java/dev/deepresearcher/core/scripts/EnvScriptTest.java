package dev.deepresearcher.core.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.testing.TestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/env.sh finds a JDK 21+ in the documented order, or says clearly what to install. */
class EnvScriptTest {
  @TempDir Path dir;

  /** A fake JDK whose java reports {@code version} the way -XshowSettings does. */
  private Path fakeJdk(String name, String version) throws IOException {
    Path bin = Files.createDirectories(dir.resolve(name).resolve("bin"));
    String java =
        "#!/bin/sh\necho '    java.specification.version = " + version + "' >&2\nexit 0\n";
    for (String tool : List.of("java", "javac")) {
      Path file = bin.resolve(tool);
      Files.writeString(file, java);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return dir.resolve(name);
  }

  private record Result(int code, String out, String err) {}

  /** A PATH with the few tools env.sh needs and no java, whatever this machine has installed. */
  private Path tools() throws IOException {
    Path bin = dir.resolve("tools");
    if (Files.isDirectory(bin)) {
      return bin;
    }
    Files.createDirectories(bin);
    for (String tool : List.of("sed", "head", "dirname", "readlink")) {
      for (String folder : List.of("/usr/bin", "/bin")) {
        Path candidate = Path.of(folder, tool);
        if (Files.isExecutable(candidate)) {
          Path wrapper = bin.resolve(tool);
          Files.writeString(wrapper, "#!/bin/sh\nexec " + candidate + " \"$@\"\n");
          Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
          break;
        }
      }
    }
    return bin;
  }

  private Result findJava(Map<String, String> env) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            "bash",
            "-c",
            "source \"$1\" && dr_find_java && echo \"$DR_JAVA_HOME\"",
            "test",
            TestPaths.root().resolve("scripts/env.sh").toString());
    pb.environment().clear();
    pb.environment().put("HOME", dir.toString());
    pb.environment().put("PATH", tools().toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return new Result(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip(),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void javaHomeWinsWhenItIsNewEnough() throws Exception {
    Path jdk = fakeJdk("jdk-21", "21");
    Path other = fakeJdk("jdk-25", "25");
    Result r = findJava(Map.of("JAVA_HOME", jdk.toString(), "DR_JDK_DIRS", other.toString()));
    assertEquals(0, r.code(), r.err());
    assertEquals(jdk.toString(), r.out());
  }

  @Test
  void anOldJavaHomeIsPassedOverForTheNewestInstalledJdk() throws Exception {
    Path old = fakeJdk("jdk-17", "17");
    fakeJdk("jdk-21", "21");
    Path newest = fakeJdk("jdk-25", "25");
    Result r =
        findJava(
            Map.of("JAVA_HOME", old.toString(), "DR_JDK_DIRS", dir.resolve("jdk-*").toString()));
    assertEquals(0, r.code(), r.err());
    assertEquals(newest.toString(), r.out());
  }

  @Test
  void javaOnThePathIsUsedBeforeTheInstallFolders() throws Exception {
    Path onPath = fakeJdk("jdk-22", "22");
    Path folder = fakeJdk("jdk-25", "25");
    Result r =
        findJava(
            Map.of(
                "PATH",
                onPath.resolve("bin") + ":/usr/bin:/bin",
                "DR_JDK_DIRS",
                folder.toString()));
    assertEquals(0, r.code(), r.err());
    assertEquals(onPath.toString(), r.out());
  }

  @Test
  void withoutAJdk21TheScriptSaysWhatToInstall() throws Exception {
    Path old = fakeJdk("jdk-17", "17");
    Path java8 = fakeJdk("jdk-8", "1.8");
    Result r = findJava(Map.of("JAVA_HOME", old.toString(), "DR_JDK_DIRS", java8.toString()));
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("error: no JDK 21 or newer found."), r.err());
    assertTrue(r.err().contains("JAVA_HOME=" + old + " (Java 17"), r.err());
    assertTrue(r.err().contains("sudo apt install openjdk-21-jdk"), r.err());
    assertTrue(r.err().contains("https://adoptium.net"), r.err());
  }
}
