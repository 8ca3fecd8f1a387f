package dev.deepresearcher.policy.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/** Times single DJL operations (for comparing with the same torch operations). */
public final class OpProbe {
  public static void main(String[] args) {
    try (NDManager m = NDManager.newBaseManager()) {
      JniUtils.setNumThreads(2);
      NDArray a = m.randomNormal(new Shape(512, 512));
      NDArray w = m.randomNormal(new Shape(1408, 512));
      NDArray wt = w.transpose();
      NDArray wtc = w.transpose().duplicate();
      time("matmul a@w.t() view", m, () -> a.matMul(wt));
      time("matmul a@wT contiguous", m, () -> a.matMul(wtc));
      NDArray a3 = a.reshape(1, 512, 512);
      time("matmul 3d a@w.t() view", m, () -> a3.matMul(wt));
      NDArray q = m.randomNormal(new Shape(1, 2, 2048, 64));
      NDArray k = m.randomNormal(new Shape(1, 2, 512, 64));
      time("scores q@kT", m, () -> q.matMul(k.transpose(0, 1, 3, 2)));
      NDArray sc = m.randomNormal(new Shape(1, 2, 4, 512, 512));
      time("softmax", m, () -> sc.softmax(-1));
      NDArray mask = m.zeros(new Shape(1, 1, 1, 512, 512));
      time("add mask", m, () -> sc.add(mask));
      NDArray g = m.randomNormal(new Shape(1, 512, 1408));
      time("sigmoid", m, () -> ai.djl.nn.Activation.sigmoid(g));
      time("mul", m, () -> g.mul(g));
      time("exp", m, () -> g.exp());
      time("tanh", m, () -> g.tanh());
      time("square", m, () -> g.square());
      time("sigmoid*mul", m, () -> g.mul(ai.djl.nn.Activation.sigmoid(g)));
      NDArray x1 = m.randomNormal(new Shape(1, 1, 512));
      NDArray wgu = m.randomNormal(new Shape(2816, 512));
      NDArray wguT = wgu.transpose();
      NDArray wguTc = wgu.transpose().duplicate();
      NDArray bias = m.randomNormal(new Shape(2816));
      time("gemv x@Wgu.t() view", m, () -> x1.matMul(wguT));
      time("gemv x@WguT contiguous", m, () -> x1.matMul(wguTc));
      time(
          "gemv linear(x, Wgu, b)",
          m,
          () -> ai.djl.nn.core.Linear.linear(x1, wgu, bias).singletonOrThrow());
      NDArray head = m.randomNormal(new Shape(32000, 512));
      NDArray headT = head.transpose();
      NDArray headTc = head.transpose().duplicate();
      time("gemv lm head view", m, () -> x1.matMul(headT));
      time("gemv lm head contiguous", m, () -> x1.matMul(headTc));
      time(
          "gemv lm head linear",
          m,
          () -> ai.djl.nn.core.Linear.linear(x1, head, null).singletonOrThrow());
      NDArray x16 = m.randomNormal(new Shape(16, 1, 512));
      time("b16 x@Wgu.t() view", m, () -> x16.matMul(wguT));
      time(
          "b16 linear(x, Wgu, b)",
          m,
          () -> ai.djl.nn.core.Linear.linear(x16, wgu, bias).singletonOrThrow());
      NDArray small = m.randomNormal(new Shape(1, 1, 512));
      time("tiny add (op overhead)", m, () -> small.add(small));
      for (int rep = 0; rep < 3; rep++) {
        try (NDManager s = m.newSubManager()) {
          NDArray sm = small.duplicate();
          sm.attach(s);
          long t0 = System.nanoTime();
          for (int i = 0; i < 10000; i++) {
            sm.add(sm);
          }
          long t1 = System.nanoTime();
          s.close();
          long t2 = System.nanoTime();
          System.out.printf(
              "10000 tiny adds: %.2f us per op, close %.2f us per array%n",
              (t1 - t0) / 1e3 / 10000, (t2 - t1) / 1e3 / 10000);
        }
      }
      System.out.println(
          "threads " + JniUtils.getNumThreads() + " interop " + JniUtils.getNumInteropThreads());
    }
  }

  static void time(String name, NDManager parent, Supplier<NDArray> op) {
    for (int i = 0; i < 5; i++) {
      try (NDManager s = parent.newSubManager()) {
        op.get();
      }
    }
    long start = System.nanoTime();
    int n = 50;
    for (int i = 0; i < n; i++) {
      try (NDManager s = parent.newSubManager()) {
        op.get().attach(s);
      }
    }
    System.out.printf("%s %.3f ms%n", name, (System.nanoTime() - start) / 1e6 / n);
  }
}
