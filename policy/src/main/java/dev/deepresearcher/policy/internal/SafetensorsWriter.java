package dev.deepresearcher.policy.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a safetensors file: an 8-byte little-endian header length, a JSON header (padded with
 * spaces to 8 bytes) naming each tensor's dtype, shape and byte range, then the data in order.
 * Tensors are streamed, so none has to fit in one Java array. The file is written where asked:
 * callers make it atomic by writing into a temporary folder.
 */
public final class SafetensorsWriter {
  /** One tensor's bytes. */
  public interface Source {
    String dtype();

    long[] shape();

    long bytes();

    /** Writes {@link #bytes()} bytes at the channel's position, advancing it. */
    void writeTo(FileChannel channel) throws IOException;
  }

  private record Entry(String name, Source source) {}

  private final List<Entry> entries = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  public SafetensorsWriter add(String name, Source source) {
    entries.add(new Entry(name, source));
    return this;
  }

  /** Adds {@code __metadata__} (string to string), e.g. {@code format: pt} as transformers does. */
  public SafetensorsWriter metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  /** A float32 array, copied out of native memory a block of rows at a time. */
  public static Source f32(NDArray array) {
    long[] shape = array.getShape().getShape();
    long elements = array.getShape().size();
    return new Source() {
      @Override
      public String dtype() {
        return "F32";
      }

      @Override
      public long[] shape() {
        return shape.clone();
      }

      @Override
      public long bytes() {
        return elements * 4;
      }

      @Override
      public void writeTo(FileChannel channel) throws IOException {
        long rowsPerBlock =
            shape.length == 0 ? 1 : Math.max(1, (64L << 20) / Math.max(1, rowBytes()));
        if (shape.length == 0 || rowsPerBlock >= shape[0]) {
          writeAll(channel, array.toByteBuffer());
          return;
        }
        for (long row = 0; row < shape[0]; row += rowsPerBlock) {
          long end = Math.min(shape[0], row + rowsPerBlock);
          try (NDArray block = array.get(new NDIndex("{}:{}", row, end))) {
            writeAll(channel, block.toByteBuffer());
          }
        }
      }

      private long rowBytes() {
        return shape[0] == 0 ? 4 : elements * 4 / shape[0];
      }
    };
  }

  /** Values from Java, stored as F32, F16 or BF16 (BF16 truncates to the upper 16 bits). */
  public static Source floats(String dtype, long[] shape, float[] values) {
    int width =
        switch (dtype) {
          case "F32" -> 4;
          case "F16", "BF16" -> 2;
          default -> throw new IllegalArgumentException("dtype " + dtype + ": F32, F16 or BF16");
        };
    return new Source() {
      @Override
      public String dtype() {
        return dtype;
      }

      @Override
      public long[] shape() {
        return shape.clone();
      }

      @Override
      public long bytes() {
        return (long) values.length * width;
      }

      @Override
      public void writeTo(FileChannel channel) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(values.length * width).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
          switch (dtype) {
            case "F32" -> data.putFloat(v);
            case "F16" -> data.putShort(Float.floatToFloat16(v));
            default -> data.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
          }
        }
        writeAll(channel, data.flip());
      }
    };
  }

  /** Writes the file (replacing one that is there). */
  public void write(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode header = json.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Entry e : entries) {
      ObjectNode t = header.putObject(e.name());
      t.put("dtype", e.source().dtype());
      t.set("shape", json.valueToTree(e.source().shape()));
      t.set("data_offsets", json.valueToTree(new long[] {offset, offset + e.source().bytes()}));
      offset += e.source().bytes();
    }
    byte[] h = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    int padded = (h.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(h);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeAll(ch, head.flip());
      for (Entry e : entries) {
        long before = ch.position();
        e.source().writeTo(ch);
        if (ch.position() - before != e.source().bytes()) {
          throw new IOException(
              e.name()
                  + ": wrote "
                  + (ch.position() - before)
                  + " bytes, expected "
                  + e.source().bytes());
        }
      }
      long end = 8 + padded + offset;
      if (ch.size() < end) {
        ch.write(ByteBuffer.allocate(1), end - 1); // a trailing hole still sizes the file
      }
      ch.force(true);
    }
  }

  static void writeAll(FileChannel channel, ByteBuffer data) throws IOException {
    while (data.hasRemaining()) {
      channel.write(data);
    }
  }
}
