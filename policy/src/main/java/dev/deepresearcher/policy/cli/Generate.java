package dev.deepresearcher.policy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepresearcher.core.cli.Cli;
import dev.deepresearcher.core.cli.ConfigOptions;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.core.config.PolicyConfig;
import dev.deepresearcher.core.data.ChatMessage;
import dev.deepresearcher.policy.Generation;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.policy.PolicyException;
import dev.deepresearcher.policy.Sampling;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code scripts/generate}: continues prompts with a model folder and prints one JSON object per
 * prompt, {@code {"ids": [...], "text": "...", "logprobs": [...] | null, "finish_reason": "..."}}.
 * For smoke-testing checkpoints: several {@code --prompt}s run as one batch.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Continues prompts with a Hugging Face Qwen2 model folder; prints one JSON line per prompt:"
          + " {ids, text, logprobs, finish_reason}.",
      "Example: scripts/generate --model models/Qwen2.5-0.5B-Instruct --prompt 'Hi' --chat"
          + " --max-new-tokens 32",
      "Sampling: --temperature 0.7 --top-p 0.9 --top-k 50 --seed 7 (the default is greedy)."
    })
public final class Generate implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description =
          "The model folder (config.json, safetensors, tokenizer.json); default policy.model.")
  Path model;

  static final class Input {
    @Option(
        names = "--prompt",
        paramLabel = "TEXT",
        description = "Text to continue; repeat for a batch.")
    List<String> prompts;

    @Option(
        names = "--ids",
        paramLabel = "JSON",
        description = "Token ids instead of text: [1, 2, 3], or [[1, 2], [3]] for a batch.")
    String ids;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  @Option(
      names = "--chat",
      description = "Render each --prompt as a user message with the model's chat template.")
  boolean chat;

  @Option(
      names = "--system",
      paramLabel = "TEXT",
      description = "With --chat: a system message before the user's.")
  String system;

  @Option(
      names = "--max-new-tokens",
      paramLabel = "N",
      defaultValue = "128",
      description = "Most tokens to generate per prompt (default ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(names = "--greedy", description = "Greedy decoding (the default).")
  boolean greedy;

  @Option(
      names = "--temperature",
      paramLabel = "T",
      description = "Sample at this temperature (> 0) instead of decoding greedily.")
  Double temperature;

  @Option(
      names = "--top-p",
      paramLabel = "P",
      description = "Nucleus sampling mass in (0, 1] (default 1: off).")
  Double topP;

  @Option(
      names = "--top-k",
      paramLabel = "K",
      description = "Sample among the K most likely tokens (default 0: off).")
  Integer topK;

  @Option(names = "--seed", paramLabel = "S", description = "Sampling seed (default run.seed).")
  Long seed;

  @Option(
      names = "--stop",
      paramLabel = "TEXT",
      description = "Stop a sequence once its text contains TEXT; repeatable.")
  List<String> stops = new ArrayList<>();

  @Option(names = "--logprobs", description = "Print each token's log-probability.")
  boolean logprobs;

  @Mixin ConfigOptions options;

  public static void main(String[] args) {
    System.exit(Cli.run(new Generate(), args));
  }

  @Override
  public Integer call() {
    DeepResearcherConfig config = options.load();
    Sampling sampling = sampling(config.run().seed());
    PolicyConfig pc = config.policy();
    Path dir = model != null ? model : pc.model();
    if (dir == null) {
      throw new PolicyException(
          "no model: give --model DIR (a Hugging Face Qwen2 model folder) or set policy.model");
    }
    if (chat && input.ids != null) {
      throw new PolicyException("--chat renders text prompts; use it with --prompt, not --ids");
    }
    if (system != null && !chat) {
      throw new PolicyException("--system needs --chat");
    }
    try (Policy policy = Policy.load(dir, pc.device(), pc.threads())) {
      List<int[]> prompts = prompts(policy);
      List<Generation> out;
      try {
        out = policy.generate(prompts, sampling);
      } catch (IllegalArgumentException e) {
        throw new PolicyException(e.getMessage(), e);
      }
      PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
      for (Generation g : out) {
        stdout.println(json(g));
      }
    }
    return 0;
  }

  private Sampling sampling(long runSeed) {
    boolean sampled = temperature != null || topP != null || topK != null || seed != null;
    if (greedy && sampled) {
      throw new PolicyException(
          "--greedy cannot be combined with --temperature, --top-p, --top-k or --seed; choose one");
    }
    try {
      Sampling s =
          temperature == null && !sampled
              ? Sampling.greedy(maxNewTokens)
              : Sampling.sample(
                  maxNewTokens,
                  temperature == null ? 1.0 : temperature,
                  topP == null ? 1.0 : topP,
                  topK == null ? 0 : topK,
                  seed == null ? runSeed : seed);
      return s.withStop(stops);
    } catch (IllegalArgumentException e) {
      throw new PolicyException(e.getMessage(), e);
    }
  }

  private List<int[]> prompts(Policy policy) {
    List<int[]> out = new ArrayList<>();
    if (input.prompts != null) {
      for (String p : input.prompts) {
        String text = p;
        if (chat) {
          List<ChatMessage> messages = new ArrayList<>();
          if (system != null) {
            messages.add(new ChatMessage("system", system));
          }
          messages.add(ChatMessage.user(p));
          text = policy.chatTemplate().render(messages, List.of(), true);
        }
        out.add(policy.tokenizer().encode(text));
      }
      return out;
    }
    JsonNode node;
    try {
      node = JSON.readTree(input.ids);
    } catch (JsonProcessingException e) {
      throw new PolicyException(
          "--ids is not JSON (" + e.getOriginalMessage() + "); write e.g. --ids '[1, 2, 3]'", e);
    }
    if (node != null && node.isArray() && !node.isEmpty() && node.get(0).isArray()) {
      for (JsonNode row : node) {
        out.add(ids(row));
      }
    } else {
      out.add(ids(node));
    }
    return out;
  }

  private static int[] ids(JsonNode row) {
    if (row == null || !row.isArray()) {
      throw new PolicyException(
          "--ids must be a JSON list of token ids, e.g. [1, 2, 3], or a list of such lists");
    }
    int[] ids = new int[row.size()];
    for (int i = 0; i < ids.length; i++) {
      JsonNode v = row.get(i);
      if (!v.canConvertToInt() || !v.isIntegralNumber()) {
        throw new PolicyException("--ids holds " + v + ", which is not a token id (an integer)");
      }
      ids[i] = v.asInt();
    }
    return ids;
  }

  private String json(Generation g) {
    ObjectNode o = JSON.createObjectNode();
    ArrayNode ids = o.putArray("ids");
    for (int id : g.tokens()) {
      ids.add(id);
    }
    o.put("text", g.text());
    if (logprobs) {
      ArrayNode lps = o.putArray("logprobs");
      for (float lp : g.logprobs()) {
        lps.add(lp);
      }
    } else {
      o.putNull("logprobs");
    }
    o.put("finish_reason", g.finishReason().jsonName());
    return o.toString();
  }
}
