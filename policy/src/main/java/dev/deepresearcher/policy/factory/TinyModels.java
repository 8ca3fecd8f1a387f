package dev.deepresearcher.policy.factory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.core.io.AtomicFiles;
import dev.deepresearcher.policy.PolicyException;
import dev.deepresearcher.policy.factory.internal.BpeTrainer;
import dev.deepresearcher.policy.factory.internal.ByteLevel;
import dev.deepresearcher.policy.factory.internal.FolderJson;
import dev.deepresearcher.policy.factory.internal.TinyWeights;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Makes tiny Qwen2 models from scratch, for the offline demo and tests: a byte-level BPE tokenizer
 * trained on the given texts (so that the world's names are single tokens the model can copy), a
 * compact ChatML chat template, and random weights initialised as transformers initialises Qwen2,
 * written as a Hugging Face model folder that {@code Policy.load} (and transformers) loads.
 *
 * <pre>{@code
 * List<String> texts = TinyModels.readTexts(List.of(Path.of("world/corpus.jsonl")));
 * TinyModel model = TinyModels.create(texts, BpeSpec.defaults(), TinyModelSpec.defaults(), out);
 * try (Policy policy = Policy.load(model.dir(), PolicyDevice.CPU, 0)) { ... }
 * }</pre>
 *
 * <p>The same texts, specs and seed give byte-identical folders.
 */
public final class TinyModels {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The chat template's own text with the agent's two tools, counted {@code minFrequency} times on
   * top of the caller's texts, so that role names, the tools line and the tool-call punctuation are
   * single tokens whatever the texts hold.
   */
  static final String TEMPLATE_TEXT =
      "<|im_start|>system\nTools: web_search(query: list of strings),"
          + " browse_webpage(url_list: list of strings). Call one as"
          + " <tool_call>{\"name\": ..., \"arguments\": {...}}</tool_call>.<|im_end|>\n"
          + "<|im_start|>user\n<tool_response>\n\n</tool_response>\n<tool_response>\n\n"
          + "</tool_response><|im_end|>\n<|im_start|>assistant\n<think></think>"
          + "<tool_call>{\"name\": \"web_search\", \"arguments\": {\"query\": [\"\"]}}</tool_call>"
          + "<|im_end|>\n<|im_start|>assistant\n<think></think><answer></answer><|im_end|>\n";

  private TinyModels() {}

  /**
   * Trains a byte-level BPE tokenizer on {@code texts}: they are pre-tokenized as the runtime will
   * (added tokens cut out, NFC, Qwen2's split regex, bytes as characters), the words counted, and
   * the most frequent pair merged until the vocabulary is full or no pair occurs {@code
   * minFrequency} times.
   *
   * <pre>{@code
   * TinyTokenizer tok = TinyModels.trainTokenizer(List.of("Zorvath is the capital of Quendor."),
   *     new BpeSpec(1024, 1));
   * }</pre>
   *
   * @throws IllegalArgumentException when {@code texts} is empty or holds only blank texts
   */
  public static TinyTokenizer trainTokenizer(List<String> texts, BpeSpec spec) {
    Objects.requireNonNull(texts, "texts");
    Objects.requireNonNull(spec, "spec");
    ByteLevel byteLevel = new ByteLevel(TinyTokenizer.addedTokens());
    Map<String, Long> counts = new HashMap<>();
    boolean any = false;
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      if (text == null) {
        throw new IllegalArgumentException(
            "text "
                + i
                + " of "
                + texts.size()
                + " is null; give strings (empty ones are skipped)");
      }
      any |= !text.isBlank();
      byteLevel.pieces(text, piece -> counts.merge(piece, 1L, Long::sum));
    }
    if (!any) {
      throw new IllegalArgumentException(
          "no training text: the "
              + texts.size()
              + " texts given are empty or blank; give the texts the model will read and write"
              + " (the world's documents, questions and demonstrations)");
    }
    long weight = spec.minFrequency();
    byteLevel.pieces(TEMPLATE_TEXT, piece -> counts.merge(piece, weight, Long::sum));
    BpeTrainer.Result r =
        BpeTrainer.train(
            counts, spec.maxVocab() - TinyTokenizer.ADDED_TOKEN_COUNT, spec.minFrequency());
    return new TinyTokenizer(
        r.tokens(), r.merges(), spec, r.distinctWords(), r.frequentWords(), r.splitWords());
  }

  /**
   * Trains a tokenizer on {@code texts} and writes a model folder with it; see {@link
   * #trainTokenizer} and {@link #create(TinyTokenizer, TinyModelSpec, Path)}.
   */
  public static TinyModel create(List<String> texts, BpeSpec bpe, TinyModelSpec spec, Path out)
      throws IOException {
    return create(trainTokenizer(texts, bpe), spec, out);
  }

  /**
   * Writes a Hugging Face Qwen2 model folder into {@code out}, atomically (a reader sees no folder
   * or the whole one): {@code tokenizer.json}, {@code tokenizer_config.json}, {@code
   * chat_template.jinja} ({@link #chatTemplate()}), {@code config.json}, {@code
   * generation_config.json} and {@code model.safetensors} with random float32 weights from {@code
   * spec.seed()}.
   *
   * @throws IllegalArgumentException when {@code out} exists and is neither empty nor a model
   *     folder (it would be replaced)
   */
  public static TinyModel create(TinyTokenizer tokenizer, TinyModelSpec spec, Path out)
      throws IOException {
    Objects.requireNonNull(tokenizer, "tokenizer");
    Objects.requireNonNull(spec, "spec");
    checkReplaceable(out);
    int vocab = vocabSize(tokenizer);
    int eos = tokenizer.id(TinyTokenizer.IM_END);
    int pad = tokenizer.id(TinyTokenizer.PAD);
    String config =
        FolderJson.configJson(
            vocab,
            spec.hiddenSize(),
            spec.intermediateSize(),
            spec.numLayers(),
            spec.numHeads(),
            spec.numKvHeads(),
            spec.contextLength(),
            spec.ropeTheta(),
            spec.initializerRange(),
            eos,
            pad);
    TinyWeights.Shape shape =
        new TinyWeights.Shape(
            vocab,
            spec.hiddenSize(),
            spec.numLayers(),
            spec.numHeads(),
            spec.numKvHeads(),
            spec.intermediateSize(),
            pad);
    AtomicFiles.writeFolder(
        out,
        dir -> {
          write(dir.resolve("tokenizer.json"), tokenizer.toJson());
          write(
              dir.resolve("tokenizer_config.json"),
              FolderJson.tokenizerConfigJson(
                  TinyTokenizer.IM_END,
                  TinyTokenizer.PAD,
                  TinyTokenizer.SPECIAL_TOKENS,
                  spec.contextLength()));
          write(dir.resolve("chat_template.jinja"), chatTemplate());
          write(dir.resolve("config.json"), config);
          write(dir.resolve("generation_config.json"), FolderJson.generationConfigJson(eos, pad));
          TinyWeights.write(
              dir.resolve("model.safetensors"), shape, spec.initializerRange(), spec.seed());
        });
    return new TinyModel(out, tokenizer, vocab, spec.parameters(vocab));
  }

  /** The embedding rows for {@code tokenizer}: its size rounded up to a multiple of 64. */
  public static int vocabSize(TinyTokenizer tokenizer) {
    return (tokenizer.size() + 63) / 64 * 64;
  }

  /**
   * The chat template of tiny models: ChatML as Qwen2.5 writes it (consecutive {@code tool}
   * messages merge into one user turn of {@code <tool_response>} blocks; append-only), with no
   * default system message and, when tools are given, one short line after the system message
   * instead of their JSON schemas: {@code Tools: web_search(query: list of strings),
   * browse_webpage(url_list: list of strings). Call one as <tool_call>{"name": ..., "arguments":
   * {...}}</tool_call>.}
   */
  public static String chatTemplate() {
    try (InputStream in = TinyModels.class.getResourceAsStream("chat_template.jinja")) {
      if (in == null) {
        throw new IllegalStateException("chat_template.jinja is missing from the policy jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads training texts from files: every string value of each line of a {@code .jsonl} file (a
   * corpus {@code {id, title, text}}, questions, {@code {"messages": [...]}} conversations), every
   * string value of a {@code .json} file, and any other file whole as one text (UTF-8).
   *
   * @throws PolicyException for a line or file that is not JSON, naming it
   */
  public static List<String> readTexts(List<Path> files) throws IOException {
    List<String> texts = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (name.endsWith(".jsonl")) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          String line;
          long number = 0;
          while ((line = reader.readLine()) != null) {
            number++;
            if (!line.isBlank()) {
              strings(parse(line, file + ":" + number), texts);
            }
          }
        }
      } else if (name.endsWith(".json")) {
        strings(parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()), texts);
      } else {
        texts.add(Files.readString(file, StandardCharsets.UTF_8));
      }
    }
    return texts;
  }

  private static JsonNode parse(String json, String where) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new PolicyException(
          where
              + " is not JSON ("
              + e.getOriginalMessage()
              + "); give JSON lines for .jsonl, one JSON value for .json, or plain text in a"
              + " file of another extension",
          e);
    }
  }

  private static void strings(JsonNode node, List<String> out) {
    if (node.isTextual()) {
      out.add(node.asText());
    } else if (node.isContainerNode()) {
      node.forEach(child -> strings(child, out));
    }
  }

  /** Replacing {@code out} must not delete anything but an earlier model folder. */
  private static void checkReplaceable(Path out) throws IOException {
    if (!Files.exists(out)) {
      return;
    }
    if (!Files.isDirectory(out)) {
      throw new IllegalArgumentException(out + " is a file; give a folder to write the model into");
    }
    boolean empty;
    try (Stream<Path> entries = Files.list(out)) {
      empty = entries.findAny().isEmpty();
    }
    if (!empty && !Files.exists(out.resolve("config.json"))) {
      throw new IllegalArgumentException(
          out
              + " exists and is not a model folder (no config.json); it would be replaced:"
              + " give a new or empty folder, or an earlier model folder to overwrite");
    }
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
