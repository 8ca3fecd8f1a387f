package dev.deepresearcher.policy;

import dev.deepresearcher.policy.internal.SafetensorsWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;

/** Test sources for {@link SafetensorsWriter}: a "hole" whose bytes are never written. */
final class SafetensorsFiles {
  private SafetensorsFiles() {}

  /** A U8 tensor of {@code bytes} zero bytes that the file system may keep sparse. */
  static SafetensorsWriter.Source hole(long bytes) {
    return new SafetensorsWriter.Source() {
      @Override
      public String dtype() {
        return "U8";
      }

      @Override
      public long[] shape() {
        return new long[] {bytes};
      }

      @Override
      public long bytes() {
        return bytes;
      }

      @Override
      public void writeTo(FileChannel channel) throws IOException {
        channel.position(channel.position() + bytes);
      }
    };
  }
}
