package dev.deepresearcher.policy.factory.internal;

import dev.deepresearcher.policy.internal.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Random;

/**
 * Random float32 weights for a Qwen2 model, initialised as transformers' {@code
 * Qwen2PreTrainedModel._init_weights} does: linear and embedding weights from normal(0, std),
 * biases zero, RMSNorm weights one, and the padding token's embedding row zero (the embedding is
 * built with {@code padding_idx = pad_token_id}). The embeddings are tied, so there is no {@code
 * lm_head.weight}.
 *
 * <p>Each tensor draws from its own {@link Random} seeded from the model seed and the tensor's
 * name: {@code java.util.Random}'s Gaussian is specified to the bit (polar method, StrictMath), so
 * the same seed writes the same bytes on every JVM, and a tensor's values do not depend on the
 * others.
 */
public final class TinyWeights {
  /** The shape to fill. */
  public record Shape(
      int vocabSize,
      int hiddenSize,
      int numLayers,
      int numHeads,
      int numKvHeads,
      int intermediateSize,
      int padTokenId) {}

  private TinyWeights() {}

  /** Writes {@code model.safetensors} for {@code shape} into {@code file}. */
  public static void write(Path file, Shape shape, double std, long seed) throws IOException {
    int h = shape.hiddenSize();
    int q = h;
    int kv = shape.numKvHeads() * (h / shape.numHeads());
    int inter = shape.intermediateSize();
    SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
    String embed = "model.embed_tokens.weight";
    w.add(embed, normal(embed, seed, std, shape.vocabSize(), h, shape.padTokenId()));
    for (int l = 0; l < shape.numLayers(); l++) {
      String p = "model.layers." + l + ".";
      w.add(p + "input_layernorm.weight", constant(1f, h));
      String[] projections = {"q_proj", "k_proj", "v_proj"};
      int[] widths = {q, kv, kv};
      for (int i = 0; i < 3; i++) {
        String name = p + "self_attn." + projections[i];
        w.add(name + ".weight", normal(name + ".weight", seed, std, widths[i], h, -1));
        w.add(name + ".bias", constant(0f, widths[i]));
      }
      String o = p + "self_attn.o_proj.weight";
      w.add(o, normal(o, seed, std, h, q, -1));
      w.add(p + "post_attention_layernorm.weight", constant(1f, h));
      String gate = p + "mlp.gate_proj.weight";
      String up = p + "mlp.up_proj.weight";
      String down = p + "mlp.down_proj.weight";
      w.add(gate, normal(gate, seed, std, inter, h, -1));
      w.add(up, normal(up, seed, std, inter, h, -1));
      w.add(down, normal(down, seed, std, h, inter, -1));
    }
    w.add("model.norm.weight", constant(1f, h));
    w.write(file);
  }

  /** A {@code [rows, cols]} F32 tensor from normal(0, std), row {@code zeroRow} zero (or none). */
  private static SafetensorsWriter.Source normal(
      String name, long seed, double std, int rows, int cols, int zeroRow) {
    return new Floats(new long[] {rows, cols}) {
      @Override
      void fill(FileChannel channel) throws IOException {
        Random random = new Random(mix(seed, name));
        ByteBuffer row = ByteBuffer.allocate(cols * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
          row.clear();
          for (int c = 0; c < cols; c++) {
            // Drawn even for the zero row, so that the rows after it do not shift.
            float v = (float) (random.nextGaussian() * std);
            row.putFloat(r == zeroRow ? 0f : v);
          }
          write(channel, row.flip());
        }
      }
    };
  }

  private static SafetensorsWriter.Source constant(float value, int n) {
    return new Floats(new long[] {n}) {
      @Override
      void fill(FileChannel channel) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
          data.putFloat(value);
        }
        write(channel, data.flip());
      }
    };
  }

  /** A seed per tensor: the model seed and the name through SplitMix64's finaliser. */
  static long mix(long seed, String name) {
    long z = seed * 0x9E3779B97F4A7C15L + name.hashCode();
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** An F32 tensor written a row at a time, so no tensor has to fit in one Java array. */
  private abstract static class Floats implements SafetensorsWriter.Source {
    private final long[] shape;

    Floats(long[] shape) {
      this.shape = shape;
    }

    abstract void fill(FileChannel channel) throws IOException;

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
      long n = 4;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }

    @Override
    public void writeTo(FileChannel channel) throws IOException {
      fill(channel);
    }

    static void write(FileChannel channel, ByteBuffer data) throws IOException {
      while (data.hasRemaining()) {
        channel.write(data);
      }
    }
  }
}
