package dev.deepresearcher.rollout;

import dev.deepresearcher.policy.FinishReason;
import dev.deepresearcher.policy.Generation;
import dev.deepresearcher.policy.Sampling;
import dev.deepresearcher.policy.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A deterministic stand-in for the policy behind {@link TurnGenerator}: a script reads the
 * conversation so far and says what the assistant writes; its tokens (and the end-of-turn token,
 * unless the script asks for none) are emitted with log-probability {@link #LOGPROB} each.
 */
final class ScriptedGenerator implements TurnGenerator {
  static final float LOGPROB = -0.25f;

  /** What the assistant writes next. */
  record Reply(String text, boolean endsTurn) {
    static Reply of(String text) {
      return new Reply(text, true);
    }
  }

  @FunctionalInterface
  interface Script {
    Reply next(String conversation);
  }

  /** One generate call: when it ran and the conversations it continued. */
  record Call(long nanos, List<String> conversations) {}

  private final Tokenizer tokenizer;
  private final int eos;
  private final Script script;
  private final int context;
  final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

  ScriptedGenerator(Tokenizer tokenizer, int eos, int context, Script script) {
    this.tokenizer = tokenizer;
    this.eos = eos;
    this.context = context;
    this.script = script;
  }

  @Override
  public List<Generation> generate(List<int[]> prompts, Sampling sampling, long[] seeds) {
    List<Generation> out = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (int[] prompt : prompts) {
      String conversation = tokenizer.decode(prompt, false);
      seen.add(conversation);
      Reply reply = script.next(conversation);
      int[] text = tokenizer.encode(reply.text());
      int[] tokens = reply.endsTurn() ? Arrays.copyOf(text, text.length + 1) : text;
      if (reply.endsTurn()) {
        tokens[text.length] = eos;
      }
      FinishReason finish = reply.endsTurn() ? FinishReason.EOS : FinishReason.LENGTH;
      if (tokens.length > sampling.maxNewTokens()) {
        tokens = Arrays.copyOf(tokens, sampling.maxNewTokens());
        finish = FinishReason.LENGTH;
      }
      int textEnd = finish == FinishReason.EOS ? tokens.length - 1 : tokens.length;
      float[] lps = new float[tokens.length];
      Arrays.fill(lps, LOGPROB);
      out.add(
          new Generation(
              tokens, lps, finish, null, tokenizer.decode(Arrays.copyOf(tokens, textEnd), false)));
    }
    calls.add(new Call(System.nanoTime(), seen));
    return out;
  }

  @Override
  public int contextLength() {
    return context;
  }
}
