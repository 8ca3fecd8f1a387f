package dev.deepresearcher.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.deepresearcher.core.config.PolicyDevice;
import dev.deepresearcher.core.data.ChatMessage;
import dev.deepresearcher.policy.internal.Generator;
import dev.deepresearcher.policy.internal.Qwen2Net;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Generation behaviour on the tiny end-to-end model (tokenizer, chat template, EOS 1002). */
class GenerationTest {
  static Policy policy;
  static int[] chatPrompt;
  static int[] otherPrompt;

  static Path model() {
    return GoldenFixture.resource("qwen2_tiny_e2e_tied_v1024").resolve("model");
  }

  @BeforeAll
  static void load() {
    policy = Policy.load(model(), PolicyDevice.CPU, 0);
    String text =
        policy
            .chatTemplate()
            .render(List.of(ChatMessage.user("Which magazine came first?")), List.of(), true);
    chatPrompt = policy.tokenizer().encode(text);
    otherPrompt = policy.tokenizer().encode("The quick brown fox");
  }

  @AfterAll
  static void close() {
    policy.close();
  }

  @Test
  void sameSeedGivesTheSameTokensAndAnotherSeedOthers() {
    Sampling s = Sampling.sample(24, 1.0, 1.0, 0, 7);
    Generation a = policy.generate(chatPrompt, s);
    Generation b = policy.generate(chatPrompt, s);
    assertEquals(a, b);
    Generation c = policy.generate(chatPrompt, Sampling.sample(24, 1.0, 1.0, 0, 8));
    assertNotEquals(Arrays.toString(a.tokens()), Arrays.toString(c.tokens()));
  }

  @Test
  void copiesOfOnePromptInABatchDrawDifferentTokens() {
    List<Generation> out =
        policy.generate(
            List.of(chatPrompt, chatPrompt, chatPrompt, chatPrompt),
            Sampling.sample(16, 1.0, 1.0, 0, 1));
    long distinct = out.stream().map(g -> Arrays.toString(g.tokens())).distinct().count();
    assertTrue(distinct >= 3, "16 sampled tokens from 4 copies gave " + distinct + " distinct");
  }

  @Test
  void perSequenceSeedsDrawTheSameTokensWhereverTheSequenceStandsInTheBatch() {
    Sampling s = Sampling.sample(16, 1.0, 1.0, 0, 0);
    List<Generation> batch =
        policy.generate(List.of(otherPrompt, chatPrompt), s, new long[] {11, 22});
    List<Generation> swapped =
        policy.generate(List.of(chatPrompt, otherPrompt, chatPrompt), s, new long[] {22, 11, 33});
    Generation alone = policy.generate(List.of(chatPrompt), s, new long[] {22}).get(0);
    assertArrayEquals(alone.tokens(), batch.get(1).tokens());
    assertArrayEquals(alone.tokens(), swapped.get(0).tokens());
    assertArrayEquals(batch.get(0).tokens(), swapped.get(1).tokens());
    assertNotEquals(
        Arrays.toString(swapped.get(0).tokens()), Arrays.toString(swapped.get(2).tokens()));
    assertThrows(
        IllegalArgumentException.class,
        () -> policy.generate(List.of(chatPrompt), s, new long[] {1, 2}));
  }

  @Test
  void batchedGreedyEqualsOneByOne() {
    Sampling greedy = Sampling.greedy(12);
    List<Generation> batch = policy.generate(List.of(chatPrompt, otherPrompt), greedy);
    assertArrayEquals(policy.generate(chatPrompt, greedy).tokens(), batch.get(0).tokens());
    assertArrayEquals(policy.generate(otherPrompt, greedy).tokens(), batch.get(1).tokens());
    for (int i = 0; i < 2; i++) {
      Generation one = policy.generate(i == 0 ? chatPrompt : otherPrompt, greedy);
      for (int t = 0; t < one.tokens().length; t++) {
        assertEquals(one.logprobs()[t], batch.get(i).logprobs()[t], 1e-4);
      }
    }
  }

  @Test
  void greedyLogProbsAreTheModelsOwnNextTokenLogProbs() {
    Generation g = policy.generate(otherPrompt, Sampling.greedy(6));
    // Score prompt + generation in one forward pass: log-probs of the generated tokens agree.
    int[] all = concat(otherPrompt, g.tokens());
    try (Qwen2Net net = Qwen2Net.load(model(), policy.config(), Device.cpu());
        NDManager m = net.manager().newSubManager()) {
      long[][] ids = {Arrays.stream(all).asLongStream().toArray()};
      long[][] pos = {LongStream.range(0, all.length).toArray()};
      int[][] mask = {new int[all.length]};
      Arrays.fill(mask[0], 1);
      float[] lp =
          net.forward(m, ids, pos, mask, null, false, false).logits().logSoftmax(-1).toFloatArray();
      int v = policy.config().vocabSize();
      for (int t = 0; t < g.tokens().length; t++) {
        int at = otherPrompt.length - 1 + t;
        assertEquals(lp[at * v + g.tokens()[t]], g.logprobs()[t], 1e-4, "token " + t);
      }
    }
  }

  @Test
  void stopStringEndsTheSequenceWhereItCompletes() {
    Generation full = policy.generate(otherPrompt, Sampling.greedy(16));
    // A stop string made of the text of generated tokens 3..5: generation must end at token 5.
    String stop = policy.tokenizer().decode(Arrays.copyOfRange(full.tokens(), 3, 6), false).strip();
    int end = firstTokenCompleting(full.tokens(), stop);
    Generation stopped =
        policy.generate(otherPrompt, Sampling.greedy(16).withStop(List.of("never", stop)));
    assertEquals(FinishReason.STOP_STRING, stopped.finishReason());
    assertEquals(stop, stopped.stop());
    assertArrayEquals(Arrays.copyOf(full.tokens(), end + 1), stopped.tokens());
    assertTrue(stopped.text().endsWith(stop) || stopped.text().contains(stop), stopped.text());
  }

  private int firstTokenCompleting(int[] tokens, String stop) {
    for (int i = 0; i < tokens.length; i++) {
      if (policy.tokenizer().decode(Arrays.copyOf(tokens, i + 1), false).contains(stop)) {
        return i;
      }
    }
    throw new AssertionError(stop + " is not in the generation");
  }

  @Test
  void endOfSequenceTokenEndsTheSequenceAndIsLeftOutOfTheText() {
    Generation full = policy.generate(otherPrompt, Sampling.greedy(10));
    int eos = full.tokens()[4];
    int first = 0;
    while (full.tokens()[first] != eos) {
      first++;
    }
    try (Qwen2Net net = Qwen2Net.load(model(), policy.config(), Device.cpu())) {
      Generator generator = new Generator(net, policy.tokenizer(), Set.of(eos));
      Generation g =
          generator.generate(List.of(otherPrompt), Sampling.greedy(10), null, null).get(0);
      assertEquals(FinishReason.EOS, g.finishReason());
      assertNull(g.stop());
      assertArrayEquals(Arrays.copyOf(full.tokens(), first + 1), g.tokens());
      assertEquals(policy.tokenizer().decode(Arrays.copyOf(full.tokens(), first), false), g.text());
    }
  }

  @Test
  void finishedSequencesLeaveTheBatch() {
    Generation shortOne = policy.generate(otherPrompt, Sampling.greedy(3));
    String stop = policy.tokenizer().decode(Arrays.copyOf(shortOne.tokens(), 2), false);
    List<Integer> rowsPerStep = new ArrayList<>();
    List<Generation> out =
        policy.generate(
            List.of(otherPrompt, chatPrompt),
            Sampling.greedy(8).withStop(List.of(stop)),
            (step, sequences, logits) -> rowsPerStep.add(sequences.length));
    assertEquals(FinishReason.STOP_STRING, out.get(0).finishReason());
    assertTrue(out.get(0).tokens().length <= 2, Arrays.toString(out.get(0).tokens()));
    assertEquals(2, rowsPerStep.get(0));
    assertEquals(
        1, rowsPerStep.get(rowsPerStep.size() - 1), "the finished row left: " + rowsPerStep);
    assertTrue(out.get(1).finishReason() == FinishReason.LENGTH || out.get(1).tokens().length < 8);
  }

  @Test
  void nativeArraysStayFlatOverManyCalls() {
    int idle = policy.nativeArrays();
    Sampling s = Sampling.sample(6, 0.8, 0.9, 20, 3).withStop(List.of("</answer>"));
    for (int i = 0; i < 300; i++) {
      policy.generate(List.of(chatPrompt, otherPrompt, otherPrompt), s);
      assertEquals(idle, policy.nativeArrays(), "arrays after call " + i);
    }
    assertTrue(idle > 0 && idle < 100, "the weights: " + idle);
  }

  @Test
  void badPromptsAreRefusedWithTheFix() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> policy.generate(new int[] {5, 99999}, Sampling.greedy(4)));
    assertTrue(e.getMessage().contains("99999") && e.getMessage().contains("vocabulary"));
    e =
        assertThrows(
            IllegalArgumentException.class, () -> policy.generate(new int[0], Sampling.greedy(4)));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    int context = policy.config().maxPositionEmbeddings();
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> policy.generate(otherPrompt, Sampling.greedy(context)));
    assertTrue(e.getMessage().contains("max_position_embeddings"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Sampling.sample(4, 1.0, 0, 0, 1));
    assertTrue(e.getMessage().contains("top_p is 0.0"), e.getMessage());
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
