package dev.deepresearcher.trainer.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepresearcher.core.config.ConfigLoader;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.core.config.DemoConfig;
import dev.deepresearcher.core.io.AtomicFiles;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.policy.factory.BpeSpec;
import dev.deepresearcher.policy.factory.TinyModelSpec;
import dev.deepresearcher.policy.factory.TinyModels;
import dev.deepresearcher.rollout.ChatFormat;
import dev.deepresearcher.rollout.Prompt;
import dev.deepresearcher.rollout.RewardActor;
import dev.deepresearcher.rollout.RolloutEngine;
import dev.deepresearcher.rollout.RolloutRequest;
import dev.deepresearcher.rollout.RolloutResult;
import dev.deepresearcher.rollout.RolloutWriter;
import dev.deepresearcher.rollout.Tools;
import dev.deepresearcher.rollout.Trajectory;
import dev.deepresearcher.rollout.TurnGenerator;
import dev.deepresearcher.search.SearchHandlers;
import dev.deepresearcher.trainer.TrainRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The offline demo, end to end, with no GPU, no network and no API key:
 *
 * <ol>
 *   <li>a {@link SyntheticWorld} and its corpus, indexed by the local Lucene backend (pages are
 *       browsed from the index);
 *   <li>a tiny Qwen2 policy made from scratch: a BPE tokenizer trained on the world's text and
 *       random weights;
 *   <li>demonstrations: the imperfect {@link Teacher} runs the real agent loop against the real
 *       handler on the training questions;
 *   <li>supervised fine-tuning on them (the loss on the teacher's tokens), which teaches the format
 *       and a mixture of careful and sloppy habits, until the {@link CopyingProbe} on careful
 *       demonstrations of the dev questions says the policy can copy an answer out of a tool
 *       response;
 *   <li>GRPO from the SFT policy ({@link TrainRun}, on the configured actor runtime);
 *   <li>the held-out comparison of the SFT and GRPO policies: mean reward and F1 over {@code
 *       demo.eval_n} rollouts per held-out question, printed as a table and written to {@code
 *       summary.json}.
 * </ol>
 */
public final class OfflineDemo {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String DEFAULT_RUN = "tiny-offline";

  private OfflineDemo() {}

  /**
   * The held-out figures of one policy.
   *
   * @param reward mean training reward
   * @param f1 mean evaluation F1
   * @param f1ByKind mean F1 per question kind
   * @param perQuestion mean F1 per question, in question order (for paired comparisons)
   */
  public record Eval(
      double reward, double f1, Map<String, Double> f1ByKind, double[] perQuestion) {}

  /**
   * What the demo measured.
   *
   * @param runDir its folder
   * @param sft the SFT policy's held-out figures
   * @param grpo the GRPO policy's
   * @param heldout held-out questions
   * @param wallSeconds the whole demo's wall time
   */
  public record Summary(Path runDir, Eval sft, Eval grpo, int heldout, double wallSeconds) {}

  /**
   * Runs the demo with the configuration of {@code yaml} and {@code overrides}.
   *
   * @param log progress (standard error)
   * @param out the final table (standard output)
   */
  public static Summary run(
      Path yaml, List<String> overrides, Map<String, String> env, PrintStream log, PrintStream out)
      throws IOException {
    long started = System.nanoTime();
    DeepResearcherConfig base = ConfigLoader.load(yaml, overrides);
    DemoConfig demo = base.demo();
    long seed = base.run().seed();
    String name = base.trainer().runName() == null ? DEFAULT_RUN : base.trainer().runName();
    Path runDir = base.run().outputDir().resolve(name).toAbsolutePath();
    if (Files.exists(runDir)) {
      log.println("replacing the earlier demo run in " + runDir);
      AtomicFiles.deleteTree(runDir);
    }
    Files.createDirectories(runDir);
    Map<String, Double> timing = new LinkedHashMap<>();

    // 1. The world, its questions and its index.
    long t = System.nanoTime();
    SyntheticWorld world = SyntheticWorld.generate(seed, demo.people());
    List<SyntheticWorld.Person> people = new ArrayList<>(world.people());
    Collections.shuffle(people, new Random(seed));
    List<SyntheticWorld.Person> heldoutPeople = people.subList(0, demo.heldoutPeople());
    List<SyntheticWorld.Person> devPeople =
        people.subList(demo.heldoutPeople(), demo.heldoutPeople() + demo.devPeople());
    List<SyntheticWorld.Person> trainPeople =
        people.subList(demo.heldoutPeople() + demo.devPeople(), people.size());
    Path corpus = runDir.resolve("corpus.jsonl");
    WorldFiles.corpus(corpus, world.corpus());
    List<SyntheticWorld.Question> train = questions(world, trainPeople);
    List<SyntheticWorld.Question> dev = questions(world, devPeople);
    List<SyntheticWorld.Question> heldout = questions(world, heldoutPeople);
    WorldFiles.questions(runDir.resolve("train.jsonl"), train);
    WorldFiles.questions(runDir.resolve("dev.jsonl"), dev);
    WorldFiles.questions(runDir.resolve("heldout.jsonl"), heldout);
    List<String> shared = new ArrayList<>(overrides);
    shared.add("search.backend=local");
    shared.add("search.local.index=" + runDir.resolve("index"));
    shared.add("search.local.corpus=" + corpus);
    shared.add("run.output_dir=" + runDir);
    log.printf(
        Locale.ROOT,
        "demo: a world of %d people in %d cities of %d countries; %d training, %d dev and %d"
            + " held-out questions; run folder %s%n",
        world.people().size(),
        world.cities().size(),
        world.countries().size(),
        train.size(),
        dev.size(),
        heldout.size(),
        runDir);

    // 2. The tiny policy, from scratch.
    Path init = runDir.resolve("init-model");
    List<String> texts = new ArrayList<>();
    for (SyntheticWorld.Document d : world.corpus()) {
      texts.add(d.title() + "\n" + d.text() + "\n" + d.url());
    }
    for (SyntheticWorld.Question q : train) {
      texts.add(q.text());
    }
    texts.addAll(Teacher.phrases(world));
    texts.add(base.rollout().systemPrompt() == null ? "" : base.rollout().systemPrompt());
    var model =
        TinyModels.create(
            texts,
            new BpeSpec(demo.vocab(), 2),
            new TinyModelSpec(
                demo.hiddenSize(),
                demo.layers(),
                demo.heads(),
                demo.kvHeads(),
                demo.intermediateSize(),
                demo.context(),
                10000.0,
                0.02,
                seed),
            init);
    timing.put("world_and_model_s", seconds(t));
    log.printf(
        Locale.ROOT,
        "demo: tiny Qwen2 policy with %,d parameters and a %d-token vocabulary in %s%n",
        model.parameters(),
        model.vocabSize(),
        init);

    DeepResearcherConfig config = ConfigLoader.load(yaml, with(shared, "policy.model=" + init));
    Path sftModel = runDir.resolve("sft").resolve("model");
    Eval sftEval;
    DemoSft.End sftEnd;
    try (SearchHandlers.Connection handlers = SearchHandlers.connect(config, env)) {
      Tools tools = Tools.of(handlers.client());
      // 3. Demonstrations through the real loop and handler.
      t = System.nanoTime();
      List<Trajectory> demos;
      CopyingProbe probe = null;
      try (Policy policy = Policy.load(init, config.policy().device(), config.policy().threads())) {
        demos =
            demonstrate(
                policy,
                config,
                tools,
                world,
                demo.careful(),
                new RolloutRequest(prompts(train), demo.demonstrations(), seed ^ 0xD3305L, 0));
        if (demo.sftCopyTarget() > 0) {
          // The copying probe's demonstrations: careful ones, of the dev questions.
          probe =
              new CopyingProbe(
                  demonstrate(
                      policy,
                      config,
                      tools,
                      world,
                      1.0,
                      new RolloutRequest(prompts(dev), 1, seed ^ 0xC0B1L, 0)),
                  policy.tokenizer());
        }
      }
      RewardActor scorer = new RewardActor(new RewardActor.Init(config.reward().name()));
      List<RewardActor.Score> demoScores = scorer.score(RewardActor.items(demos));
      RolloutWriter.jsonl(runDir.resolve("demonstrations.jsonl"), demos, demoScores);
      double demoF1 = demoScores.stream().mapToDouble(RewardActor.Score::f1).average().orElse(0);
      timing.put("demonstrations_s", seconds(t));
      log.printf(
          Locale.ROOT,
          "demo: %d demonstrations, mean F1 %.3f (the demonstrator is careful at each decision"
              + " with probability %.2f)%n",
          demos.size(),
          demoF1,
          demo.careful());

      // 4. Supervised fine-tuning.
      t = System.nanoTime();
      sftEnd = DemoSft.run(config, demo, demos, probe, seed, sftModel, log);
      timing.put("sft_s", seconds(t));

      t = System.nanoTime();
      sftEval = evaluate(sftModel, config, demo, tools, heldout, seed);
      timing.put("eval_sft_s", seconds(t));
      log.printf(
          Locale.ROOT,
          "demo: SFT policy on held-out questions: reward %.3f, F1 %.3f%n",
          sftEval.reward(),
          sftEval.f1());
    }

    // 5. GRPO from the SFT policy.
    t = System.nanoTime();
    DeepResearcherConfig grpoConfig =
        ConfigLoader.load(
            yaml,
            with(
                shared,
                "policy.model=" + sftModel,
                "data.train_files=[" + runDir.resolve("train.jsonl") + "]",
                "data.val_files=[" + runDir.resolve("dev.jsonl") + "]",
                "trainer.run_name=grpo",
                "trainer.resume=false"));
    TrainRun.Summary grpo = TrainRun.run(grpoConfig, env, log);
    timing.put("grpo_s", seconds(t));

    // 6. The held-out comparison.
    t = System.nanoTime();
    Eval grpoEval;
    try (SearchHandlers.Connection handlers = SearchHandlers.connect(config, env)) {
      grpoEval = evaluate(grpo.model(), config, demo, Tools.of(handlers.client()), heldout, seed);
    }
    timing.put("eval_grpo_s", seconds(t));
    double wall = seconds(started);
    Summary summary = new Summary(runDir, sftEval, grpoEval, heldout.size(), wall);
    writeSummary(runDir.resolve("summary.json"), summary, sftEnd, seed, demo, timing);
    out.print(table(summary, demo, seed));
    out.println(
        "plots: " + grpo.runDir().resolve("reward.png") + ", " + grpo.runDir().resolve("f1.png"));
    return summary;
  }

  /** The {@link Teacher}'s trajectories through the real loop and handler. */
  private static List<Trajectory> demonstrate(
      Policy policy,
      DeepResearcherConfig config,
      Tools tools,
      SyntheticWorld world,
      double careful,
      RolloutRequest request) {
    Teacher teacher =
        new Teacher(
            policy.tokenizer(),
            policy.config().eosTokenIds().get(0),
            policy.config().maxPositionEmbeddings(),
            careful,
            world);
    return new RolloutEngine(
            teacher,
            ChatFormat.of(policy, config.rollout().systemPrompt()),
            tools,
            config.rollout(),
            () -> 0L)
        .run(request)
        .trajectories();
  }

  private static List<String> with(List<String> overrides, String... more) {
    List<String> all = new ArrayList<>(overrides);
    all.addAll(List.of(more));
    return all;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  static List<SyntheticWorld.Question> questions(
      SyntheticWorld world, List<SyntheticWorld.Person> people) {
    List<SyntheticWorld.Question> out = new ArrayList<>();
    for (SyntheticWorld.Person p : people) {
      out.addAll(world.questions(p));
    }
    return out;
  }

  static List<Prompt> prompts(List<SyntheticWorld.Question> questions) {
    List<Prompt> out = new ArrayList<>();
    for (SyntheticWorld.Question q : questions) {
      out.add(new Prompt(q.id(), q.text(), WorldFiles.source(q.kind()), List.of(q.answer())));
    }
    return out;
  }

  /** Held-out rollouts of a model folder, scored. */
  static Eval evaluate(
      Path model,
      DeepResearcherConfig config,
      DemoConfig demo,
      Tools tools,
      List<SyntheticWorld.Question> questions,
      long seed) {
    List<Prompt> prompts = prompts(questions);
    RolloutResult r;
    try (Policy policy = Policy.load(model, config.policy().device(), config.policy().threads())) {
      RolloutEngine engine =
          new RolloutEngine(
              TurnGenerator.of(policy),
              ChatFormat.of(policy, config.rollout().systemPrompt()),
              tools,
              config.rollout(),
              policy::weightsVersion);
      r =
          engine.run(
              new RolloutRequest(prompts, demo.evalN(), seed ^ 0xE7A1L, 0, demo.evalTemperature()));
    }
    RewardActor scorer = new RewardActor(new RewardActor.Init(config.reward().name()));
    List<RewardActor.Score> scores = scorer.score(RewardActor.items(r.trajectories()));
    double reward = 0;
    double f1 = 0;
    double[] perQuestion = new double[prompts.size()];
    Map<String, double[]> byKind = new LinkedHashMap<>();
    for (int i = 0; i < scores.size(); i++) {
      reward += scores.get(i).reward();
      f1 += scores.get(i).f1();
      perQuestion[i / demo.evalN()] += scores.get(i).f1() / demo.evalN();
      double[] k =
          byKind.computeIfAbsent(r.trajectories().get(i).prompt().dataSource(), x -> new double[2]);
      k[0] += scores.get(i).f1();
      k[1]++;
    }
    Map<String, Double> kinds = new LinkedHashMap<>();
    byKind.forEach((k, v) -> kinds.put(k, v[0] / v[1]));
    return new Eval(reward / scores.size(), f1 / scores.size(), kinds, perQuestion);
  }

  /** The mean paired F1 difference and its standard error over held-out questions. */
  static double[] difference(Eval sft, Eval grpo) {
    int n = sft.perQuestion().length;
    double[] d = new double[n];
    double mean = 0;
    for (int i = 0; i < n; i++) {
      d[i] = grpo.perQuestion()[i] - sft.perQuestion()[i];
      mean += d[i] / n;
    }
    double var = 0;
    for (double x : d) {
      var += (x - mean) * (x - mean) / Math.max(1, n - 1);
    }
    return new double[] {mean, Math.sqrt(var / n)};
  }

  static String table(Summary s, DemoConfig demo, long seed) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%nOffline demo: %d held-out questions, %d rollouts each at temperature %.1f, seed %d,"
                + " %.0f s%n%n",
            s.heldout(),
            demo.evalN(),
            demo.evalTemperature(),
            seed,
            s.wallSeconds()));
    List<String> kinds = new ArrayList<>(s.sft().f1ByKind().keySet());
    sb.append(String.format(Locale.ROOT, "%-12s %8s %8s", "policy", "reward", "F1"));
    for (String k : kinds) {
      sb.append(String.format(Locale.ROOT, " %12s", "F1 " + k));
    }
    sb.append('\n');
    for (Object[] row : new Object[][] {{"SFT", s.sft()}, {"GRPO", s.grpo()}}) {
      Eval e = (Eval) row[1];
      sb.append(String.format(Locale.ROOT, "%-12s %8.3f %8.3f", row[0], e.reward(), e.f1()));
      for (String k : kinds) {
        sb.append(String.format(Locale.ROOT, " %12.3f", e.f1ByKind().getOrDefault(k, 0.0)));
      }
      sb.append('\n');
    }
    double[] d = difference(s.sft(), s.grpo());
    sb.append(
        String.format(
            Locale.ROOT,
            "%nGRPO - SFT: F1 %+.3f (standard error %.3f over questions), reward %+.3f%n",
            d[0],
            d[1],
            s.grpo().reward() - s.sft().reward()));
    return sb.toString();
  }

  private static void writeSummary(
      Path file, Summary s, DemoSft.End sft, long seed, DemoConfig demo, Map<String, Double> timing)
      throws IOException {
    ObjectNode root = JSON.createObjectNode();
    for (Object[] row : new Object[][] {{"sft", s.sft()}, {"grpo", s.grpo()}}) {
      Eval e = (Eval) row[1];
      ObjectNode o = root.putObject((String) row[0]);
      o.put("reward", e.reward());
      o.put("f1", e.f1());
      ObjectNode kinds = o.putObject("f1_by_kind");
      e.f1ByKind().forEach(kinds::put);
    }
    ObjectNode training = ((ObjectNode) root.get("sft")).putObject("training");
    training.put("second_stage_steps", sft.steps());
    training.put("second_stage_attempts", sft.attempts());
    if (!Double.isNaN(sft.copying())) {
      training.put("reached_copy_target", sft.reached());
      training.put("copying_probe", sft.copying());
    }
    root.put("heldout_n", s.heldout());
    root.put("seed", seed);
    root.put("wall_s", s.wallSeconds());
    double[] d = difference(s.sft(), s.grpo());
    root.put("f1_difference", d[0]);
    root.put("f1_difference_se", d[1]);
    root.put("eval_rollouts_per_question", demo.evalN());
    root.put("eval_temperature", demo.evalTemperature());
    ObjectNode times = root.putObject("timing_s");
    timing.forEach(times::put);
    AtomicFiles.writeString(
        file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
  }
}
