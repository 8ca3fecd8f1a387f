package dev.deepresearcher.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void replacesTheFileAndCreatesMissingFolders() throws IOException {
    Path target = dir.resolve("a/b/score.json");
    AtomicFiles.writeString(target, "one");
    AtomicFiles.writeString(target, "two");
    assertEquals("two", Files.readString(target));
    assertEquals(List.of(target.getFileName()), listing(target.getParent()));
  }

  @Test
  void aFailingWriterLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path target = dir.resolve("out.jsonl");
    AtomicFiles.writeString(target, "old");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicFiles.write(
                    target,
                    out -> {
                      out.write("half of the new".getBytes());
                      throw new IOException("disk full");
                    }));
    assertEquals("disk full", e.getMessage());
    assertEquals("old", Files.readString(target));
    assertEquals(List.of(target.getFileName()), listing(dir));
  }

  @Test
  void aNewFileIsReadableByOthersAndAReplacedOneKeepsItsPermissions() throws IOException {
    Path fresh = dir.resolve("fresh.json");
    AtomicFiles.writeString(fresh, "x");
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
    Path kept = dir.resolve("kept.json");
    Files.writeString(kept, "old");
    Files.setPosixFilePermissions(kept, PosixFilePermissions.fromString("rw-rw----"));
    AtomicFiles.writeString(kept, "new");
    assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
  }

  private static List<Path> listing(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(Path::getFileName).toList();
    }
  }
}
