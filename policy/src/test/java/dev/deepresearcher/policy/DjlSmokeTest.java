package dev.deepresearcher.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class DjlSmokeTest {
  @Test
  void pytorchRunsOfflineAndTheOpsTheModelUsesBehave() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
      assertEquals(54f, a.matMul(a).sum().getFloat(), 1e-6);
      System.out.println(
          Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
      NDArray table = m.arange(12f).reshape(4, 3);
      NDArray ids = m.create(new long[] {2, 0, 3, 3}, new Shape(2, 2));
      NDArray rows = table.get(ids);
      System.out.println(
          "get(ids) shape "
              + rows.getShape()
              + " "
              + java.util.Arrays.toString(rows.toFloatArray()));
      NDArray kv = m.arange(4f).reshape(1, 2, 1, 2);
      System.out.println(
          "repeat "
              + java.util.Arrays.toString(kv.repeat(1, 2).toFloatArray())
              + " "
              + kv.repeat(1, 2).getShape());
      NDArray buf = m.zeros(new Shape(2, 5));
      buf.set(new NDIndex(":, 1:3"), m.ones(new Shape(2, 2)));
      System.out.println("set " + java.util.Arrays.toString(buf.toFloatArray()));
      NDArray view = buf.get(new NDIndex(":, :3"));
      System.out.println("slice " + view.getShape());
      System.out.println(
          "argmax "
              + java.util.Arrays.toString(table.argMax(1).toLongArray())
              + " "
              + table.argMax(1).getDataType());
      NDArray w = m.arange(6f).reshape(2, 3);
      NDArray x = m.ones(new Shape(1, 4, 3));
      System.out.println("x @ wT " + x.matMul(w.transpose()).getShape());
      System.out.println(m.create(new long[] {1}).getDataType() + " " + DataType.INT64);
    }
  }
}
