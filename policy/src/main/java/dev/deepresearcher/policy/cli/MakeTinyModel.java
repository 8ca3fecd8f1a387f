package dev.deepresearcher.policy.cli;

import dev.deepresearcher.core.cli.Cli;
import dev.deepresearcher.policy.PolicyException;
import dev.deepresearcher.policy.factory.BpeSpec;
import dev.deepresearcher.policy.factory.TinyModel;
import dev.deepresearcher.policy.factory.TinyModelSpec;
import dev.deepresearcher.policy.factory.TinyModels;
import dev.deepresearcher.policy.factory.TinyTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/make-tiny-model}: a tiny Qwen2 model from scratch (see {@link TinyModels}): a BPE
 * tokenizer trained on the given texts and random weights, as a Hugging Face model folder.
 */
@Command(
    name = "make-tiny-model",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Makes a tiny Qwen2 model from scratch: a byte-level BPE tokenizer trained on the texts"
          + " (every word occurring --min-frequency times becomes one token while the vocabulary"
          + " has room), a compact ChatML chat template and random weights from --seed, written"
          + " as a Hugging Face model folder that scripts/generate and scripts/sft load.",
      "Texts: .jsonl files give every string of every line, .json files every string, other"
          + " files their whole text.",
      "Example: scripts/make-tiny-model --texts world/corpus.jsonl,world/sft.jsonl --out"
          + " models/tiny --seed 1"
    })
public final class MakeTinyModel implements Callable<Integer> {
  private static final TinyModelSpec SHAPE = TinyModelSpec.defaults();

  @Option(
      names = "--texts",
      required = true,
      split = ",",
      paramLabel = "FILE",
      description = "The training texts, comma-separated (.jsonl, .json or plain text).")
  List<Path> texts;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "The model folder.")
  Path out;

  @Option(
      names = "--max-vocab",
      paramLabel = "N",
      description = "The most tokens, added ones included (default: ${DEFAULT-VALUE}).")
  int maxVocab = BpeSpec.defaults().maxVocab();

  @Option(
      names = "--min-frequency",
      paramLabel = "N",
      description = "Occurrences a pair needs to be merged (default: ${DEFAULT-VALUE}).")
  int minFrequency = BpeSpec.defaults().minFrequency();

  @Option(names = "--hidden", paramLabel = "N", description = "Hidden size (${DEFAULT-VALUE}).")
  int hidden = SHAPE.hiddenSize();

  @Option(names = "--layers", paramLabel = "N", description = "Layers (${DEFAULT-VALUE}).")
  int layers = SHAPE.numLayers();

  @Option(names = "--heads", paramLabel = "N", description = "Attention heads (${DEFAULT-VALUE}).")
  int heads = SHAPE.numHeads();

  @Option(
      names = "--kv-heads",
      paramLabel = "N",
      description = "Key/value heads (${DEFAULT-VALUE}).")
  int kvHeads = SHAPE.numKvHeads();

  @Option(names = "--intermediate", paramLabel = "N", description = "MLP width (${DEFAULT-VALUE}).")
  int intermediate = SHAPE.intermediateSize();

  @Option(
      names = "--context",
      paramLabel = "N",
      description = "Longest sequence, max_position_embeddings (${DEFAULT-VALUE}).")
  int context = SHAPE.contextLength();

  @Option(
      names = "--rope-theta",
      paramLabel = "X",
      description = "Rotary embedding base (${DEFAULT-VALUE}).")
  double ropeTheta = SHAPE.ropeTheta();

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed of the random weights (${DEFAULT-VALUE}).")
  long seed = SHAPE.seed();

  public static void main(String[] args) {
    System.exit(Cli.run(new MakeTinyModel(), args));
  }

  @Override
  public Integer call() throws IOException {
    BpeSpec bpe;
    TinyModelSpec spec;
    try {
      bpe = new BpeSpec(maxVocab, minFrequency);
      spec =
          new TinyModelSpec(
              hidden,
              layers,
              heads,
              kvHeads,
              intermediate,
              context,
              ropeTheta,
              SHAPE.initializerRange(),
              seed);
    } catch (IllegalArgumentException e) {
      throw new PolicyException(e.getMessage(), e);
    }
    List<String> corpus = TinyModels.readTexts(texts);
    long started = System.nanoTime();
    TinyTokenizer tokenizer;
    TinyModel model;
    try {
      tokenizer = TinyModels.trainTokenizer(corpus, bpe);
      double seconds = (System.nanoTime() - started) / 1e9;
      System.err.printf(
          Locale.ROOT,
          "tokenizer: %d tokens (%d merges) from %d texts, %d distinct words, in %.1f s%n",
          tokenizer.size(),
          tokenizer.merges().size(),
          corpus.size(),
          tokenizer.distinctWords(),
          seconds);
      if (tokenizer.splitWords() > 0) {
        System.err.printf(
            Locale.ROOT,
            "warning: %d of the %d words occurring %d+ times are several tokens: the vocabulary"
                + " is full; raise --max-vocab to make them one token each%n",
            tokenizer.splitWords(),
            tokenizer.frequentWords(),
            minFrequency);
      }
      model = TinyModels.create(tokenizer, spec, out);
    } catch (IllegalArgumentException e) {
      throw new PolicyException(e.getMessage(), e);
    }
    System.err.printf(
        Locale.ROOT,
        "model: %.2f M parameters (vocabulary %d, hidden %d, %d layers) in %s%n",
        model.parameters() / 1e6,
        model.vocabSize(),
        hidden,
        layers,
        model.dir());
    return 0;
  }
}
