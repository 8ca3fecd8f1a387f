package dev.deepresearcher.policy;

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
import java.util.List;

/**
 * Writes safetensors files for tests: F32, F16 or BF16 tensors, and "holes" (U8 tensors whose bytes
 * are never written, so the file is sparse where the file system allows).
 */
final class SafetensorsWriter {
  record Tensor(String name, String dtype, long[] shape, float[] values, long holeBytes) {
    long bytes() {
      return switch (dtype) {
        case "F32" -> values.length * 4L;
        case "F16", "BF16" -> values.length * 2L;
        case "U8" -> holeBytes;
        default -> throw new IllegalArgumentException(dtype);
      };
    }
  }

  private final List<Tensor> tensors = new ArrayList<>();

  SafetensorsWriter add(String name, String dtype, long[] shape, float[] values) {
    tensors.add(new Tensor(name, dtype, shape, values, 0));
    return this;
  }

  SafetensorsWriter hole(String name, long bytes) {
    tensors.add(new Tensor(name, "U8", new long[] {bytes}, null, bytes));
    return this;
  }

  void write(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode header = json.createObjectNode();
    long offset = 0;
    for (Tensor t : tensors) {
      ObjectNode e = header.putObject(t.name());
      e.put("dtype", t.dtype());
      e.set("shape", json.valueToTree(t.shape()));
      e.set("data_offsets", json.valueToTree(new long[] {offset, offset + t.bytes()}));
      offset += t.bytes();
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
      ch.write(head.flip());
      long position = 8 + padded;
      for (Tensor t : tensors) {
        if (t.values() == null) {
          position += t.holeBytes(); // never written: a hole
          continue;
        }
        ByteBuffer data = ByteBuffer.allocate((int) t.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : t.values()) {
          switch (t.dtype()) {
            case "F32" -> data.putFloat(v);
            case "F16" -> data.putShort(Float.floatToFloat16(v));
            case "BF16" -> data.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
            default -> throw new IllegalArgumentException(t.dtype());
          }
        }
        data.flip();
        while (data.hasRemaining()) {
          position += ch.write(data, position);
        }
      }
      if (ch.size() < position) {
        ch.write(ByteBuffer.allocate(1), position - 1); // a trailing hole still sizes the file
      }
    }
  }
}
