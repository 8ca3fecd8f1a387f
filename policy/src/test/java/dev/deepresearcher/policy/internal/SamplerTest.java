package dev.deepresearcher.policy.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.deepresearcher.policy.Sampling;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Token choice on hand-made distributions, with a seeded stream. */
class SamplerTest {
  /** log of {0.5, 0.2, 0.15, 0.1, 0.05} placed at ids 3, 0, 4, 1, 2. */
  static final float[] LOGPROBS = {
    (float) Math.log(0.2),
    (float) Math.log(0.1),
    (float) Math.log(0.05),
    (float) Math.log(0.5),
    (float) Math.log(0.15)
  };

  static double[] frequencies(Sampling s, int draws) {
    SplittableRandom random = new SplittableRandom(11);
    double[] counts = new double[LOGPROBS.length];
    for (int i = 0; i < draws; i++) {
      counts[Sampler.choose(LOGPROBS, 0, LOGPROBS.length, s, random)]++;
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] /= draws;
    }
    return counts;
  }

  @Test
  void greedyTakesTheFirstMaximum() {
    float[] tie = {0.1f, 0.7f, 0.7f, 0.2f};
    assertEquals(1, Sampler.choose(tie, 0, 4, Sampling.greedy(1), new SplittableRandom(1)));
    assertEquals(3, Sampler.choose(LOGPROBS, 0, 5, Sampling.greedy(1), new SplittableRandom(1)));
  }

  @Test
  void plainSamplingFollowsTheDistribution() {
    double[] f = frequencies(Sampling.sample(1, 1, 1, 0, 0), 200_000);
    assertArrayEquals(new double[] {0.2, 0.1, 0.05, 0.5, 0.15}, f, 0.005);
  }

  @Test
  void topKRenormalisesOverTheKMostLikely() {
    double[] f = frequencies(Sampling.sample(1, 1, 1, 2, 0), 200_000);
    assertArrayEquals(new double[] {0.2 / 0.7, 0, 0, 0.5 / 0.7, 0}, f, 0.005);
  }

  @Test
  void topPKeepsTheSmallestSetReachingTheMass() {
    // 0.5 + 0.2 = 0.7 < 0.75, so the nucleus also takes 0.15.
    double[] f = frequencies(Sampling.sample(1, 1, 0.75, 0, 0), 200_000);
    assertArrayEquals(new double[] {0.2 / 0.85, 0, 0, 0.5 / 0.85, 0.15 / 0.85}, f, 0.005);
    double[] tiny = frequencies(Sampling.sample(1, 1, 0.01, 0, 0), 1000);
    assertArrayEquals(new double[] {0, 0, 0, 1, 0}, tiny, 0);
  }

  @Test
  void topPAppliesToTheRenormalisedTopK() {
    // Top-3 mass 0.85: 0.5 / 0.85 = 0.59 < 0.6, so the nucleus of the top 3 needs two tokens.
    double[] f = frequencies(Sampling.sample(1, 1, 0.6, 3, 0), 200_000);
    assertArrayEquals(new double[] {0.2 / 0.7, 0, 0, 0.5 / 0.7, 0}, f, 0.005);
  }

  @Test
  void wideNucleusGrowsPastTheFirstCandidates() {
    // A flat distribution over 1000 tokens: top-p 0.9 needs 900 of them, beyond the first 64.
    int v = 1000;
    float[] flat = new float[v];
    Arrays.fill(flat, (float) Math.log(1.0 / v));
    SplittableRandom random = new SplittableRandom(5);
    int beyond = 0;
    for (int i = 0; i < 10_000; i++) {
      if (Sampler.choose(flat, 0, v, Sampling.sample(1, 1, 0.9, 0, 0), random) >= 64) {
        beyond++;
      }
    }
    assertEquals(1 - 64.0 / 900, beyond / 10_000.0, 0.02);
  }

  @Test
  void topIndicesAreLargestFirstAndLowestIdFirstOnTies() {
    float[] values = {3, 1, 3, 2, 5, 1};
    assertArrayEquals(new int[] {4, 0, 2, 3}, Sampler.topIndices(values, 0, 6, 4));
    assertArrayEquals(new int[] {4, 0, 2, 3, 1, 5}, Sampler.topIndices(values, 0, 6, 6));
  }

  @Test
  void rowOffsetsReadTheirOwnRow() {
    float[] two = new float[10];
    System.arraycopy(LOGPROBS, 0, two, 5, 5);
    assertEquals(3, Sampler.choose(two, 5, 5, Sampling.greedy(1), new SplittableRandom(1)));
  }
}
