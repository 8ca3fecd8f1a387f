package dev.deepresearcher.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void folderIsReplacedWholeAndNothingIsLeftBeside() throws IOException {
    Path target = dir.resolve("ckpt");
    AtomicFiles.writeFolder(target, f -> Files.writeString(f.resolve("a.txt"), "one"));
    AtomicFiles.writeFolder(
        target,
        f -> {
          Files.writeString(f.resolve("b.txt"), "two");
          Files.createDirectory(f.resolve("sub"));
          Files.writeString(f.resolve("sub/c.txt"), "three");
        });
    assertEquals(List.of(Path.of("b.txt"), Path.of("sub")), sorted(listing(target)));
    assertEquals("three", Files.readString(target.resolve("sub/c.txt")));
    assertEquals(List.of(Path.of("ckpt")), listing(dir));
  }

  @Test
  void failingFolderWriterLeavesTheOldFolder() throws IOException {
    Path target = dir.resolve("ckpt");
    AtomicFiles.writeFolder(target, f -> Files.writeString(f.resolve("a.txt"), "old"));
    assertThrows(
        IOException.class,
        () ->
            AtomicFiles.writeFolder(
                target,
                f -> {
                  Files.writeString(f.resolve("a.txt"), "half");
                  throw new IOException("disk full");
                }));
    assertEquals("old", Files.readString(target.resolve("a.txt")));
    assertEquals(List.of(Path.of("ckpt")), listing(dir));
  }

  @Test
  void crashBetweenTheRenamesIsRecoveredAndStaleTemporariesRemoved() throws IOException {
    Path target = dir.resolve("ckpt");
    // What a process killed mid-write leaves: the old folder moved aside, a half-written temp.
    Files.createDirectories(dir.resolve(".ckpt.previous"));
    Files.writeString(dir.resolve(".ckpt.previous/a.txt"), "old");
    Files.createDirectories(dir.resolve(".ckpt.1234.tmp"));
    Files.writeString(dir.resolve(".ckpt.1234.tmp/a.txt"), "half");
    assertTrue(AtomicFiles.recoverFolder(target));
    assertEquals("old", Files.readString(target.resolve("a.txt")));
    AtomicFiles.writeFolder(target, f -> Files.writeString(f.resolve("a.txt"), "new"));
    assertEquals("new", Files.readString(target.resolve("a.txt")));
    assertEquals(List.of(Path.of("ckpt")), listing(dir));
  }

  private static List<Path> sorted(List<Path> paths) {
    return paths.stream().sorted().toList();
  }

  private static List<Path> listing(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(Path::getFileName).toList();
    }
  }
}
