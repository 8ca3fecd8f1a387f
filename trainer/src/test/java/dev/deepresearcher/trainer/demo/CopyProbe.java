package dev.deepresearcher.trainer.demo;

import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.core.config.PolicyConfig;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.policy.PolicyTrainer;
import dev.deepresearcher.policy.SequenceLoss;
import dev.deepresearcher.policy.TrainingSequence;
import dev.deepresearcher.policy.factory.BpeSpec;
import dev.deepresearcher.policy.factory.TinyModelSpec;
import dev.deepresearcher.policy.factory.TinyModels;
import dev.deepresearcher.rollout.ChatFormat;
import dev.deepresearcher.rollout.RolloutEngine;
import dev.deepresearcher.rollout.RolloutRequest;
import dev.deepresearcher.rollout.Tools;
import dev.deepresearcher.rollout.Trajectory;
import dev.deepresearcher.search.SearchHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How fast the tiny policy learns to copy: SFT on the demonstrations (whole, or cut after the first
 * turn), printing every K steps the mean probability of the held-out demonstrations' name tokens in
 * their search query (teacher-forced) and of their answer tokens.
 *
 * <p>args: workdir steps batch lr firstTurnOnly(true|false) hidden layers
 */
public final class CopyProbe {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int steps = Integer.parseInt(args[1]);
    int batch = Integer.parseInt(args[2]);
    double lr = Double.parseDouble(args[3]);
    int firstOnlySteps = Integer.parseInt(args[4]);
    int hidden = Integer.parseInt(args[5]);
    int layers = Integer.parseInt(args[6]);
    Files.createDirectories(dir);
    SyntheticWorld world = SyntheticWorld.generate(42, 400);
    List<SyntheticWorld.Person> people = new ArrayList<>(world.people());
    Collections.shuffle(people, new Random(42));
    List<SyntheticWorld.Question> heldout = OfflineDemo.questions(world, people.subList(0, 40));
    List<SyntheticWorld.Question> train = OfflineDemo.questions(world, people.subList(70, 400));
    WorldFiles.corpus(dir.resolve("corpus.jsonl"), world.corpus());
    List<String> texts = new ArrayList<>();
    for (SyntheticWorld.Document d : world.corpus()) {
      texts.add(d.title() + "\n" + d.text() + "\n" + d.url());
    }
    texts.addAll(Teacher.phrases(world));
    Path model = dir.resolve("model-" + hidden + "-" + layers);
    if (!Files.exists(model.resolve("config.json"))) {
      TinyModels.create(
          texts,
          new BpeSpec(4096, 2),
          new TinyModelSpec(hidden, layers, 4, 2, hidden * 3, 1024, 10000.0, 0.02, 42),
          model);
    }
    DeepResearcherConfig config =
        ConfigLoader.load(
            Path.of("configs/tiny-offline.yaml"),
            List.of(
                "search.local.index=" + dir.resolve("index"),
                "search.local.corpus=" + dir.resolve("corpus.jsonl"),
                "cache.path=" + dir.resolve("cache.db"),
                "policy.model=" + model,
                "rollout.search_top_k=" + System.getProperty("topk", "3")));
    List<Trajectory> trainDemos;
    List<Trajectory> testDemos;
    try (SearchHandlers.Connection h = SearchHandlers.connect(config, Map.of());
        Policy policy = Policy.load(model, config.policy().device(), 0)) {
      Teacher careful =
          new Teacher(policy.tokenizer(), policy.config().eosTokenIds().get(0), 1024, 1.0, world);
      Teacher teacher =
          new Teacher(policy.tokenizer(), policy.config().eosTokenIds().get(0), 1024, 0.6, world);
      ChatFormat format = ChatFormat.of(policy, config.rollout().systemPrompt());
      trainDemos =
          new RolloutEngine(teacher, format, Tools.of(h.client()), config.rollout(), () -> 0L)
              .run(new RolloutRequest(OfflineDemo.prompts(train), 2, 1, 0))
              .trajectories();
      testDemos =
          new RolloutEngine(careful, format, Tools.of(h.client()), config.rollout(), () -> 0L)
              .run(new RolloutRequest(OfflineDemo.prompts(heldout), 1, 2, 0))
              .trajectories();
    }
    List<TrainingSequence> first = new ArrayList<>();
    List<TrainingSequence> full = new ArrayList<>();
    for (Trajectory t : trainDemos) {
      first.add(firstTurn(t));
      full.addAll(prefixes(t));
    }
    PolicyConfig.Training training = DemoSft.training(config.policy().training(), lr);
    try (Policy policy = Policy.load(model, config.policy().device(), 0);
        PolicyTrainer trainer = PolicyTrainer.create(policy, training, 1)) {
      int[] nameIds = new int[0];
      Random random = new Random(1);
      long start = System.nanoTime();
      for (int s = 1; s <= steps; s++) {
        List<TrainingSequence> data = s <= firstOnlySteps ? first : full;
        int size = batch;
        List<TrainingSequence> b = new ArrayList<>();
        for (int i = 0; i < size; i++) {
          b.add(data.get(random.nextInt(data.size())));
        }
        b.sort(java.util.Comparator.comparingInt(TrainingSequence::length));
        double loss = trainer.step(b, SequenceLoss.meanNll()).loss();
        if (s % 50 == 0 || s == steps) {
          double[] p = probe(trainer, policy, testDemos);
          System.out.printf(
              "step %d (%.0f s) loss %.4f | held-out: p(query name tokens) %.3f, p(answer tokens)"
                  + " %.3f%n",
              s, (System.nanoTime() - start) / 1e9, loss, p[0], p[1]);
        }
      }
    }
  }

  /** The trajectory cut after each of its turns. */
  static List<TrainingSequence> prefixes(Trajectory t) {
    List<TrainingSequence> out = new ArrayList<>();
    int[] ids = t.ids();
    boolean[] mask = t.lossMask();
    for (int i = t.promptTokens(); i < ids.length; i++) {
      boolean endOfTurn = mask[i] && (i + 1 == ids.length || !mask[i + 1]);
      if (endOfTurn) {
        out.add(new TrainingSequence(Arrays.copyOf(ids, i + 1), Arrays.copyOf(mask, i + 1)));
      }
    }
    return out;
  }

  /** Prompt and first turn only. */
  static TrainingSequence firstTurn(Trajectory t) {
    int[] ids = t.ids();
    boolean[] mask = t.lossMask();
    int end = t.promptTokens();
    while (end < ids.length && mask[end]) {
      end++;
    }
    return new TrainingSequence(Arrays.copyOf(ids, end), Arrays.copyOf(mask, end));
  }

  /** Mean probability of the query's name tokens (first turn) and the final answer's tokens. */
  static double[] probe(PolicyTrainer trainer, Policy policy, List<Trajectory> demos) {
    List<TrainingSequence> seqs = new ArrayList<>();
    for (Trajectory t : demos) {
      seqs.add(t.trainingSequence());
    }
    List<float[]> lps = trainer.logprobs(seqs, false);
    double nameSum = 0;
    int names = 0;
    double ansSum = 0;
    int answers = 0;
    for (int k = 0; k < demos.size(); k++) {
      Trajectory t = demos.get(k);
      String name =
          t.prompt()
              .question()
              .replaceAll("^(Where was|In which country was|Which instrument does) ", "")
              .replaceAll(" (born|play)\\?$", "");
      int[] nameTokens = policy.tokenizer().encode(" " + name);
      int[] ids = t.ids();
      boolean[] mask = t.lossMask();
      // the first occurrence of the name tokens inside the sampled region
      for (int i = t.promptTokens(); i + nameTokens.length <= ids.length; i++) {
        if (mask[i]
            && Arrays.equals(Arrays.copyOfRange(ids, i, i + nameTokens.length), nameTokens)) {
          for (int j = 0; j < nameTokens.length; j++) {
            nameSum += Math.exp(lps.get(k)[i + j - 1]);
            names++;
          }
          break;
        }
      }
      int[] answer = policy.tokenizer().encode(" " + t.prompt().groundTruths().get(0));
      for (int i = ids.length - answer.length; i >= t.promptTokens(); i--) {
        if (mask[i] && Arrays.equals(Arrays.copyOfRange(ids, i, i + answer.length), answer)) {
          for (int j = 0; j < answer.length; j++) {
            ansSum += Math.exp(lps.get(k)[i + j - 1]);
            answers++;
          }
          break;
        }
      }
    }
    return new double[] {nameSum / Math.max(1, names), ansSum / Math.max(1, answers)};
  }
}
