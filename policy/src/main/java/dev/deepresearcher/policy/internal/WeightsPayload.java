package dev.deepresearcher.policy.internal;

import ai.djl.ndarray.NDArray;
import dev.deepresearcher.policy.PolicyException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainable weights as one compact byte array, for shipping an update to rollout replicas:
 *
 * <pre>
 * "DRWP" | format u8 = 1 | kind u8 (0 LoRA, 1 full) | version i64 | [LoRA: rank i32, alpha f64,
 * dropout f64, rslora u8, n i32, n target ordinals u8] | tensors i32 | per tensor: name (u16
 * length + UTF-8), rank u8, dims i64…, float32 little-endian data
 * </pre>
 *
 * Big-endian integers, little-endian tensor data (what the file formats use). A payload is one Java
 * array, so at most 2 GiB: LoRA adapters of any model, full weights of small ones.
 */
public final class WeightsPayload {
  private static final byte[] MAGIC = "DRWP".getBytes(StandardCharsets.US_ASCII);
  private static final int FORMAT = 1;

  /** What the payload holds. */
  public enum Kind {
    LORA,
    FULL
  }

  /**
   * A decoded payload.
   *
   * @param version the trainer's step that produced it
   * @param kind adapters or full weights
   * @param lora the adapters' settings, for {@link Kind#LORA}
   * @param tensors float32 little-endian values by name (PEFT keys or leaf names)
   */
  public record Decoded(
      long version, Kind kind, LoraAdapters.Settings lora, Map<String, ByteBuffer> tensors) {}

  private WeightsPayload() {}

  /** Encodes {@code leaves} (their current values). */
  public static byte[] encode(
      long version, Kind kind, LoraAdapters.Settings lora, List<Qwen2Net.Leaf> leaves) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(MAGIC);
      out.writeByte(FORMAT);
      out.writeByte(kind.ordinal());
      out.writeLong(version);
      if (kind == Kind.LORA) {
        out.writeInt(lora.rank());
        out.writeDouble(lora.alpha());
        out.writeDouble(lora.dropout());
        out.writeByte(lora.rslora() ? 1 : 0);
        out.writeInt(lora.targets().size());
        for (LoraAdapters.Target t : lora.targets()) {
          out.writeByte(t.ordinal());
        }
      }
      out.writeInt(leaves.size());
      for (Qwen2Net.Leaf leaf : leaves) {
        out.writeUTF(leaf.name());
        long[] shape = leaf.array().getShape().getShape();
        out.writeByte(shape.length);
        for (long d : shape) {
          out.writeLong(d);
        }
        NDArray a = leaf.array();
        ByteBuffer data = a.toByteBuffer().order(ByteOrder.nativeOrder());
        ByteBuffer le = ByteBuffer.allocate(data.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        le.asFloatBuffer().put(data.asFloatBuffer());
        out.write(le.array());
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory failed", e);
    }
  }

  /** Decodes a payload made by {@link #encode}. */
  public static Decoded decode(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    try {
      byte[] magic = new byte[4];
      in.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new PolicyException("not a weights payload (its first bytes are not DRWP)");
      }
      int format = in.get();
      if (format != FORMAT) {
        throw new PolicyException(
            "weights payload format "
                + format
                + "; this build reads format "
                + FORMAT
                + " (update the rollout workers and the trainer together)");
      }
      Kind kind = Kind.values()[in.get()];
      long version = in.getLong();
      LoraAdapters.Settings lora = null;
      if (kind == Kind.LORA) {
        int rank = in.getInt();
        double alpha = in.getDouble();
        double dropout = in.getDouble();
        boolean rslora = in.get() == 1;
        int n = in.getInt();
        List<LoraAdapters.Target> targets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          targets.add(LoraAdapters.Target.values()[in.get()]);
        }
        lora = new LoraAdapters.Settings(rank, alpha, dropout, targets, rslora);
      }
      int count = in.getInt();
      Map<String, ByteBuffer> tensors = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        int nameLength = in.getShort() & 0xFFFF;
        byte[] name = new byte[nameLength];
        in.get(name);
        int rank = in.get();
        long elements = 1;
        for (int d = 0; d < rank; d++) {
          elements *= in.getLong();
        }
        int size = Math.toIntExact(elements * 4);
        ByteBuffer data = in.slice(in.position(), size).order(ByteOrder.LITTLE_ENDIAN);
        in.position(in.position() + size);
        ByteBuffer nativeOrder = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
        nativeOrder.asFloatBuffer().put(data.asFloatBuffer());
        tensors.put(new String(name, StandardCharsets.UTF_8), nativeOrder);
      }
      if (in.hasRemaining()) {
        throw new PolicyException("weights payload has " + in.remaining() + " bytes after its end");
      }
      return new Decoded(version, kind, lora, tensors);
    } catch (BufferUnderflowException | IndexOutOfBoundsException | ArithmeticException e) {
      throw new PolicyException("weights payload is truncated or corrupt", e);
    }
  }
}
