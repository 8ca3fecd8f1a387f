package dev.deepresearcher.policy.factory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.config.LrSchedule;
import dev.deepresearcher.core.config.PolicyConfig;
import dev.deepresearcher.core.config.PolicyDevice;
import dev.deepresearcher.core.config.TrainingMode;
import dev.deepresearcher.core.data.ChatMessage;
import dev.deepresearcher.policy.Generation;
import dev.deepresearcher.policy.ModelConfig;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.policy.PolicyTrainer;
import dev.deepresearcher.policy.Sampling;
import dev.deepresearcher.policy.SequenceLoss;
import dev.deepresearcher.policy.TrainingSequence;
import dev.deepresearcher.policy.internal.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model folder: deterministic bytes, loading and generating, weights as transformers. */
class TinyModelsTest {
  /** Small enough that the tests stay quick. */
  static final TinyModelSpec SMALL = new TinyModelSpec(64, 2, 4, 2, 128, 256, 10_000, 0.02, 5);

  static final SyntheticWorld WORLD = new SyntheticWorld(11, 40, 20, 6);
  static TinyTokenizer tokenizer;

  @TempDir Path tmp;

  @BeforeAll
  static void train() {
    tokenizer = TinyModels.trainTokenizer(WORLD.documents(), new BpeSpec(2048, 1));
  }

  @Test
  void sameSeedWritesByteIdenticalFolders() throws IOException {
    TinyModels.create(tokenizer, SMALL, tmp.resolve("a"));
    TinyModels.create(WORLD.documents(), new BpeSpec(2048, 1), SMALL, tmp.resolve("b"));
    TinyModels.create(tokenizer, SMALL.withSeed(6), tmp.resolve("c"));
    List<String> files =
        List.of(
            "config.json",
            "generation_config.json",
            "tokenizer.json",
            "tokenizer_config.json",
            "chat_template.jinja",
            "model.safetensors");
    try (var listing = Files.list(tmp.resolve("a"))) {
      assertEquals(files.size(), listing.count(), "nothing else in the folder");
    }
    for (String f : files) {
      byte[] a = Files.readAllBytes(tmp.resolve("a").resolve(f));
      assertArrayEquals(a, Files.readAllBytes(tmp.resolve("b").resolve(f)), f);
      boolean sameWithOtherSeed = Arrays.equals(a, Files.readAllBytes(tmp.resolve("c").resolve(f)));
      assertEquals(!f.equals("model.safetensors"), sameWithOtherSeed, f);
    }
  }

  @Test
  void weightsAreInitialisedAsTransformersInitialisesQwen2() throws IOException {
    TinyModel model = TinyModels.create(tokenizer, SMALL, tmp.resolve("m"));
    assertEquals(0, model.vocabSize() % 64);
    assertTrue(model.vocabSize() >= tokenizer.size() && model.vocabSize() < tokenizer.size() + 64);
    try (Safetensors st = Safetensors.open(model.dir().resolve("model.safetensors"))) {
      assertFalse(st.entries().containsKey("lm_head.weight"), "tied embeddings");
      long total = st.entries().values().stream().mapToLong(Safetensors.Entry::elements).sum();
      assertEquals(model.parameters(), total);
      float[] embed = st.floatArray("model.embed_tokens.weight");
      double sum = 0;
      double squares = 0;
      for (float v : embed) {
        sum += v;
        squares += (double) v * v;
      }
      double mean = sum / embed.length;
      assertEquals(0, mean, 1e-3);
      assertEquals(0.02, Math.sqrt(squares / embed.length - mean * mean), 1e-3);
      int pad = tokenizer.id(TinyTokenizer.PAD);
      for (int i = 0; i < SMALL.hiddenSize(); i++) {
        assertEquals(0f, embed[pad * SMALL.hiddenSize() + i], "padding row");
      }
      for (float v : st.floatArray("model.layers.1.self_attn.k_proj.bias")) {
        assertEquals(0f, v);
      }
      for (float v : st.floatArray("model.layers.0.post_attention_layernorm.weight")) {
        assertEquals(1f, v);
      }
      assertArrayEquals(
          new long[] {SMALL.numKvHeads() * SMALL.headDim(), SMALL.hiddenSize()},
          st.entries().get("model.layers.0.self_attn.v_proj.weight").shape());
    }
  }

  @Test
  void folderLoadsWithPolicyAndGeneratesGreedily() throws IOException {
    TinyModel model = TinyModels.create(tokenizer, SMALL, tmp.resolve("m"));
    try (Policy policy = Policy.load(model.dir(), PolicyDevice.CPU, 0)) {
      ModelConfig c = policy.config();
      assertEquals(model.vocabSize(), c.vocabSize());
      assertEquals(SMALL.hiddenSize(), c.hiddenSize());
      assertEquals(SMALL.numKvHeads(), c.numKvHeads());
      assertEquals(SMALL.contextLength(), c.maxPositionEmbeddings());
      assertEquals(List.of(tokenizer.id(TinyTokenizer.IM_END)), c.eosTokenIds());
      assertEquals(tokenizer.id(TinyTokenizer.PAD), c.padTokenId());
      assertTrue(c.tieWordEmbeddings());
      String prompt =
          policy
              .chatTemplate()
              .render(
                  List.of(ChatMessage.user("Where was " + WORLD.people.get(0) + " born?")),
                  List.of(),
                  true);
      int[] ids = policy.tokenizer().encode(prompt);
      Generation g = policy.generate(ids, Sampling.greedy(16));
      assertTrue(g.tokens().length > 0 && g.tokens().length <= 16);
      assertArrayEquals(g.tokens(), policy.generate(ids, Sampling.greedy(16)).tokens());
    }
  }

  @Test
  void fullSftOnACopyTaskLowersTheLossClearly() throws IOException {
    // "Repeat: NAME" → " NAME": each name is two tokens (the leading-space variants, as in the
    // prompt). 40 steps take the loss from the uniform ln(V) to about the names' unigram entropy;
    // copying names never trained on takes far longer (none of 100 after 500 steps).
    SyntheticWorld world = new SyntheticWorld(5, 200, 0, 1);
    List<String> texts = new ArrayList<>();
    for (String person : world.people) {
      texts.add("Repeat: " + person + "\n " + person);
    }
    TinyModel model =
        TinyModels.create(texts, new BpeSpec(4096, 1), SMALL.withSeed(1), tmp.resolve("copy"));
    PolicyConfig.Training full =
        new PolicyConfig.Training(
            TrainingMode.FULL,
            32,
            new PolicyConfig.Lora(4, 8, 0, List.of("q_proj")),
            new PolicyConfig.Optimizer(5e-3, 0.9, 0.999, 1e-8, 0, 1.0),
            new PolicyConfig.Schedule(LrSchedule.CONSTANT, 0, null, 0));
    SequenceLoss meanNll = in -> in.logprobs().mul(in.mask()).sum().neg().div(in.mask().sum());
    try (Policy policy = Policy.load(model.dir(), PolicyDevice.CPU, 0);
        PolicyTrainer trainer = PolicyTrainer.create(policy, full, 1)) {
      List<TrainingSequence> data = new ArrayList<>();
      for (String person : world.people) {
        String prompt =
            policy
                .chatTemplate()
                .render(List.of(ChatMessage.user("Repeat: " + person)), List.of(), true);
        data.add(
            TrainingSequence.of(
                policy.tokenizer().encode(prompt),
                policy.tokenizer().encode(" " + person + TinyTokenizer.IM_END)));
      }
      assertEquals(3, data.get(0).targets(), "first name, last name, <|im_end|>");
      double first = Double.NaN;
      double last = 0;
      int steps = 40;
      int bs = 16;
      for (int step = 0; step < steps; step++) {
        int from = step * bs % data.size();
        List<TrainingSequence> batch = new ArrayList<>();
        for (int i = 0; i < bs; i++) {
          batch.add(data.get((from + i) % data.size()));
        }
        double loss = trainer.step(batch, meanNll).loss();
        first = step == 0 ? loss : first;
        last = step >= steps - 5 ? last + loss / 5 : last;
      }
      System.out.printf(Locale.ROOT, "tiny model copy task: loss %.3f -> %.3f%n", first, last);
      assertTrue(last < 0.65 * first, "loss " + first + " -> " + last);
    }
  }

  @Test
  void badShapesAreRefusedWithTheValueAndTheFix() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TinyModelSpec(130, 4, 4, 2, 384, 1024, 10_000, 0.02, 0));
    assertTrue(
        e.getMessage().contains("hiddenSize 130 is not divisible by numHeads 4"), e.getMessage());
    assertTrue(e.getMessage().contains("e.g. 128"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TinyModelSpec(12, 4, 4, 2, 384, 1024, 10_000, 0.02, 0));
    assertTrue(e.getMessage().contains("= 3 is odd"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TinyModelSpec(128, 4, 4, 3, 384, 1024, 10_000, 0.02, 0));
    assertTrue(
        e.getMessage().contains("numHeads 4 is not a multiple of numKvHeads 3"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TinyModelSpec(128, 0, 4, 2, 384, 1024, 10_000, 0.02, 0));
    assertTrue(e.getMessage().contains("numLayers 0 is outside"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TinyModelSpec(128, 4, 4, 2, 384, 1024, Double.NaN, 0.02, 0));
    assertTrue(e.getMessage().contains("ropeTheta NaN"), e.getMessage());
  }

  @Test
  void aFolderThatIsNotAModelIsNotReplaced() throws IOException {
    Path notes = Files.createDirectories(tmp.resolve("notes"));
    Files.writeString(notes.resolve("todo.txt"), "keep me");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TinyModels.create(tokenizer, SMALL, notes));
    assertTrue(e.getMessage().contains("is not a model folder"), e.getMessage());
    assertEquals("keep me", Files.readString(notes.resolve("todo.txt")));
    Path model = tmp.resolve("model");
    TinyModels.create(tokenizer, SMALL, model);
    TinyModels.create(tokenizer, SMALL.withSeed(9), model); // an earlier model is replaced
    assertTrue(Files.exists(model.resolve("model.safetensors")));
  }
}
