package dev.deepresearcher.policy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.policy.PolicyException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code .safetensors} file, memory-mapped: an 8-byte little-endian header length, a JSON header
 * of tensor names, dtypes, shapes and byte ranges, then the data. Tensors are mapped one at a time
 * at 64-bit offsets, so files over 2 GiB load (DJL's own decoder reads the whole file into one
 * array with int offsets and cannot). Values convert to float32 on the Java side: bfloat16 must
 * never reach DJL, whose native code aborts on it.
 */
public final class Safetensors implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L << 20;

  /** One tensor's place in the file. */
  public record Entry(String name, String dtype, long[] shape, long offset, long length) {
    /** Elements in the tensor. */
    public long elements() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }
  }

  private final Path file;
  private final FileChannel channel;
  private final Map<String, Entry> entries;

  private Safetensors(Path file, FileChannel channel, Map<String, Entry> entries) {
    this.file = file;
    this.channel = channel;
    this.entries = entries;
  }

  /** Opens and reads the header; the data stays on disk until asked for. */
  public static Safetensors open(Path file) {
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
      long size = channel.size();
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, len, 0);
      long headerLength = len.flip().getLong();
      if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
        throw new PolicyException(
            file + ": not a safetensors file (header length " + headerLength + ")");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLength);
      readFully(channel, header, 8);
      JsonNode root = JSON.readTree(header.array());
      long dataStart = 8 + headerLength;
      Map<String, Entry> entries = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("__metadata__")) {
          continue;
        }
        JsonNode t = e.getValue();
        JsonNode shapeNode = t.get("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = shapeNode.get(i).asLong();
        }
        long begin = t.get("data_offsets").get(0).asLong();
        long end = t.get("data_offsets").get(1).asLong();
        if (begin < 0 || end < begin || dataStart + end > size) {
          throw new PolicyException(
              file + ": tensor " + e.getKey() + " lies outside the file (truncated download?)");
        }
        entries.put(
            e.getKey(),
            new Entry(e.getKey(), t.get("dtype").asText(), shape, dataStart + begin, end - begin));
      }
      return new Safetensors(file, channel, Collections.unmodifiableMap(entries));
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (e instanceof PolicyException pe) {
        throw pe;
      }
      throw new PolicyException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long p = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, p);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      p += n;
    }
  }

  /** The tensors, in header order. */
  public Map<String, Entry> entries() {
    return entries;
  }

  public Path file() {
    return file;
  }

  /**
   * Elements {@code [from, from + count)} of tensor {@code name} as float32, in a direct buffer in
   * native order (what DJL takes). BF16 is widened by a 16-bit shift, F16 by the JDK's conversion.
   */
  public ByteBuffer floats(String name, long from, long count) {
    Entry e = entry(name);
    int width = width(e);
    if (count > Integer.MAX_VALUE / 4) {
      throw new IllegalArgumentException(
          "read at most " + Integer.MAX_VALUE / 4 + " elements at once, asked " + count);
    }
    ByteBuffer out = ByteBuffer.allocateDirect((int) (count * 4)).order(ByteOrder.nativeOrder());
    try {
      MappedByteBuffer src =
          channel.map(FileChannel.MapMode.READ_ONLY, e.offset() + from * width, count * width);
      src.order(ByteOrder.LITTLE_ENDIAN);
      switch (e.dtype()) {
        case "F32" -> {
          if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            out.put(src); // the file's bytes are already what DJL wants
          } else {
            for (long i = 0; i < count; i++) {
              out.putFloat(src.getFloat());
            }
          }
        }
        case "BF16" -> {
          for (long i = 0; i < count; i++) {
            out.putInt((src.getShort() & 0xFFFF) << 16);
          }
        }
        case "F16" -> {
          for (long i = 0; i < count; i++) {
            out.putFloat(Float.float16ToFloat(src.getShort()));
          }
        }
        case "F64" -> {
          for (long i = 0; i < count; i++) {
            out.putFloat((float) src.getDouble());
          }
        }
        default ->
            throw new PolicyException(
                file
                    + ": tensor "
                    + name
                    + " has dtype "
                    + e.dtype()
                    + "; expected F32, BF16, F16 or F64");
      }
    } catch (IOException ex) {
      throw new PolicyException(
          "cannot read tensor " + name + " from " + file + ": " + ex.getMessage(), ex);
    }
    return out.flip();
  }

  /** Integer tensors (I64, I32) as longs, for fixtures. */
  public long[] longs(String name) {
    Entry e = entry(name);
    int width = width(e);
    long n = e.elements();
    long[] out = new long[Math.toIntExact(n)];
    try {
      MappedByteBuffer src = channel.map(FileChannel.MapMode.READ_ONLY, e.offset(), n * width);
      src.order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < out.length; i++) {
        out[i] =
            switch (e.dtype()) {
              case "I64" -> src.getLong();
              case "I32" -> src.getInt();
              default ->
                  throw new PolicyException(
                      file
                          + ": tensor "
                          + name
                          + " has dtype "
                          + e.dtype()
                          + "; expected I64 or I32");
            };
      }
    } catch (IOException ex) {
      throw new PolicyException(
          "cannot read tensor " + name + " from " + file + ": " + ex.getMessage(), ex);
    }
    return out;
  }

  /** Every element of a float tensor, as a Java array (fixtures and small tensors). */
  public float[] floatArray(String name) {
    Entry e = entry(name);
    ByteBuffer b = floats(name, 0, e.elements());
    float[] out = new float[Math.toIntExact(e.elements())];
    b.asFloatBuffer().get(out);
    return out;
  }

  private Entry entry(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      throw new PolicyException(file + " has no tensor " + name);
    }
    return e;
  }

  private static int width(Entry e) {
    return switch (e.dtype()) {
      case "F64", "I64" -> 8;
      case "F32", "I32" -> 4;
      case "BF16", "F16", "I16" -> 2;
      case "I8", "U8", "BOOL" -> 1;
      default -> throw new PolicyException("unknown dtype " + e.dtype() + " of tensor " + e.name());
    };
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new PolicyException("cannot close " + file, e);
    }
  }
}
