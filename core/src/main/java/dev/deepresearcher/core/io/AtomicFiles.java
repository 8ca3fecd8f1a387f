package dev.deepresearcher.core.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes files so that readers see the old content or the new, never a mix: the data goes to a
 * temporary file in the same folder, is flushed to disk, then renamed over the target.
 *
 * <pre>{@code
 * AtomicFiles.writeString(Path.of("score.json"), json);
 * AtomicFiles.write(out, stream -> stream.write(bytes));
 * }</pre>
 */
public final class AtomicFiles {
  /** Writes the content of a file to a stream. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Fills a folder. */
  @FunctionalInterface
  public interface FolderWriter {
    void writeInto(Path folder) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Replaces the folder {@code target} with one that {@code writer} fills: the files go to a
   * temporary sibling folder, are flushed to disk, and the folder is renamed into place. A reader
   * sees the old folder or the new one, whole. If the writer fails (or the process dies), {@code
   * target} is untouched; a dead process leaves only a hidden {@code .NAME.*.tmp} sibling, which
   * the next write removes.
   *
   * <p>When {@code target} exists it is first renamed to {@code .NAME.previous}, then the new
   * folder is renamed in, then the previous one is deleted: between the two renames (a crash there)
   * the old content survives as {@code .NAME.previous}, which {@link #recoverFolder} puts back. One
   * writer per target at a time: a second would remove the first one's temporary folder.
   */
  public static void writeFolder(Path target, FolderWriter writer) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    String name = absolute.getFileName().toString();
    recoverFolder(absolute);
    try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, "." + name + ".*.tmp")) {
      for (Path p : stale) {
        deleteTree(p);
      }
    }
    Path tmp =
        Files.createDirectory(
            dir.resolve("." + name + "." + Long.toHexString(System.nanoTime()) + ".tmp"));
    try {
      writer.writeInto(tmp);
      try (Stream<Path> files = Files.walk(tmp)) {
        for (Path p : files.filter(Files::isRegularFile).toList()) {
          try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.force(true);
          }
        }
      }
      Path previous = dir.resolve("." + name + ".previous");
      if (Files.exists(absolute)) {
        deleteTree(previous);
        Files.move(absolute, previous, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE);
      deleteTree(previous);
    } finally {
      deleteTree(tmp);
    }
  }

  /**
   * Puts back {@code .NAME.previous} when {@code target} is missing: what a crash between the two
   * renames of {@link #writeFolder} leaves. Returns whether it did.
   */
  public static boolean recoverFolder(Path target) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path previous = absolute.resolveSibling("." + absolute.getFileName() + ".previous");
    if (!Files.exists(absolute) && Files.isDirectory(previous)) {
      Files.move(previous, absolute, StandardCopyOption.ATOMIC_MOVE);
      return true;
    }
    return false;
  }

  /** Deletes a file or a folder with everything in it; nothing when it does not exist. */
  public static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Temporary files are created private (rw-------); give the new file the old one's permissions,
   * or rw-r--r-- as a new file normally gets.
   */
  private static void keepPermissions(Path target, Path tmp) throws IOException {
    if (!Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
      return;
    }
    Set<PosixFilePermission> permissions =
        Files.exists(target)
            ? Files.getPosixFilePermissions(target)
            : PosixFilePermissions.fromString("rw-r--r--");
    Files.setPosixFilePermissions(tmp, permissions);
  }

  /** Replaces {@code target} with {@code text} in UTF-8. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Replaces {@code target} with what {@code writer} writes. If the writer fails, {@code target} is
   * untouched and the temporary file is removed. Missing parent folders are created.
   */
  public static void write(Path target, Writer writer) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
    try {
      keepPermissions(absolute, tmp);
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
        // The writer may close what it is given (JSON generators do); keep the channel open for
        // force().
        writer.writeTo(
            new FilterOutputStream(out) {
              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
              }

              @Override
              public void close() throws IOException {
                out.flush();
              }
            });
        out.flush();
        channel.force(true); // on disk before the rename makes it visible
      }
      try {
        Files.move(
            tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
