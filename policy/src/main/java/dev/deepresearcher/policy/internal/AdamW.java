package dev.deepresearcher.policy.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import dev.deepresearcher.core.config.PolicyConfig;
import dev.deepresearcher.policy.PolicyException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW exactly as {@code torch.optim.AdamW} computes it (decoupled weight decay, bias-corrected
 * moments, epsilon outside the root), on the leaves it was given. Moments live in this optimizer's
 * own native manager; every temporary of a step is freed when the step ends.
 */
public final class AdamW implements AutoCloseable {
  private static final NDIndex ALL = new NDIndex("...");

  private final List<Qwen2Net.Leaf> params;
  private final PolicyConfig.Optimizer settings;
  private final NDManager manager;
  private final Map<String, NDArray> expAvg = new LinkedHashMap<>();
  private final Map<String, NDArray> expAvgSq = new LinkedHashMap<>();
  private long steps;

  public AdamW(List<Qwen2Net.Leaf> params, PolicyConfig.Optimizer settings, NDManager parent) {
    this.params = List.copyOf(params);
    this.settings = settings;
    this.manager = parent.newSubManager();
    for (Qwen2Net.Leaf p : this.params) {
      expAvg.put(p.name(), manager.zeros(p.array().getShape()));
      expAvgSq.put(p.name(), manager.zeros(p.array().getShape()));
    }
  }

  /** Optimizer steps applied so far. */
  public long steps() {
    return steps;
  }

  /** The parameters' gradients' L2 norms, by leaf name. */
  public Map<String, Double> gradientNorms() {
    Map<String, Double> out = new LinkedHashMap<>();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (Qwen2Net.Leaf p : params) {
        out.put(p.name(), (double) p.array().getGradient().norm().getFloat());
      }
    }
    return out;
  }

  /** Multiplies every gradient by {@code factor}, in place. */
  public void scaleGradients(double factor) {
    GradMode.off();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (Qwen2Net.Leaf p : params) {
        p.array().getGradient().muli(factor);
      }
    }
  }

  /** Sets every gradient to zero (not by multiplying: a NaN times zero stays NaN). */
  public void zeroGradients() {
    GradMode.off();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (Qwen2Net.Leaf p : params) {
        p.array().getGradient().set(new NDIndex("..."), 0f);
      }
    }
  }

  /**
   * One update with learning rate {@code lr} from the accumulated gradients, which it uses as
   * scratch space: zero them ({@link #zeroGradients}) before the next accumulation.
   */
  public void step(double lr) {
    // In-place updates of weights that require gradients must not be recorded: a thread starts
    // with recording on, and this one may never have run inference.
    GradMode.off();
    steps++;
    double b1 = settings.beta1();
    double b2 = settings.beta2();
    double biasCorrection1 = 1 - Math.pow(b1, steps);
    double biasCorrection2 = 1 - Math.pow(b2, steps);
    double stepSize = lr / biasCorrection1;
    double rootCorrection2 = Math.sqrt(biasCorrection2);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (Qwen2Net.Leaf p : params) {
        NDArray w = p.array();
        NDArray g = w.getGradient();
        NDArray m = expAvg.get(p.name());
        NDArray v = expAvgSq.get(p.name());
        // Everything in place, the gradient serving as scratch once read (the step zeroes it
        // next): allocating weight-sized temporaries costs page faults on every step.
        if (settings.weightDecay() != 0) {
          w.muli(1 - lr * settings.weightDecay());
        }
        m.subi(g).muli(b1).addi(g); // b1·m + (1 − b1)·g, as g + b1·(m − g)
        g.muli(g).muli(1 - b2);
        v.muli(b2).addi(g); // b2·v + (1 − b2)·g²
        // stepSize · m / (√v / c + eps) = (stepSize · c) · m / (√v + eps · c), c = √(1 − b2^t)
        g.set(ALL, v);
        g.powi(0.5).addi(settings.eps() * rootCorrection2).powi(-1).muli(m);
        w.subi(g.muli(stepSize * rootCorrection2));
      }
    }
  }

  /** Writes the moments ({@code exp_avg.NAME}, {@code exp_avg_sq.NAME}) to a safetensors file. */
  public void save(Path file) throws IOException {
    SafetensorsWriter w = new SafetensorsWriter();
    for (Qwen2Net.Leaf p : params) {
      w.add("exp_avg." + p.name(), SafetensorsWriter.f32(expAvg.get(p.name())));
      w.add("exp_avg_sq." + p.name(), SafetensorsWriter.f32(expAvgSq.get(p.name())));
    }
    w.metadata("steps", Long.toString(steps));
    w.write(file);
  }

  /** Restores moments and step count written by {@link #save}. */
  public void load(Path file, long savedSteps) {
    try (Safetensors st = Safetensors.open(file)) {
      for (Qwen2Net.Leaf p : params) {
        for (Map<String, NDArray> moments : List.of(expAvg, expAvgSq)) {
          String key = (moments == expAvg ? "exp_avg." : "exp_avg_sq.") + p.name();
          Safetensors.Entry e = st.entries().get(key);
          NDArray target = moments.get(p.name());
          if (e == null || e.elements() != target.getShape().size()) {
            throw new PolicyException(
                file
                    + " has no matching "
                    + key
                    + ": the checkpoint was written for other weights");
          }
          target.set(st.floats(key, 0, e.elements()));
        }
      }
    }
    steps = savedSteps;
  }

  /** The names of the parameters, in order. */
  public List<String> names() {
    List<String> out = new ArrayList<>();
    params.forEach(p -> out.add(p.name()));
    return out;
  }

  /** The first moment of a parameter (tests). */
  NDArray expAvg(String name) {
    return expAvg.get(name);
  }

  @Override
  public void close() {
    manager.close();
  }
}
