package dev.deepresearcher.rollout.internal;

import dev.deepresearcher.core.data.ChatMessage;
import dev.deepresearcher.policy.Generation;
import dev.deepresearcher.rollout.ChatFormat;
import dev.deepresearcher.rollout.Prompt;
import dev.deepresearcher.rollout.ToolCall;
import dev.deepresearcher.rollout.Trajectory;
import dev.deepresearcher.rollout.TrajectoryEnd;
import dev.deepresearcher.rollout.Turn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One trajectory while the agent loop runs it: its tokens so far (with the loss mask and sampling
 * log-probabilities), its conversation, its open turn, and what it searched and read. Used by the
 * loop's thread only.
 */
public final class TrajectoryState {
  private final int index;
  private final Prompt prompt;
  private final int sample;
  private final int promptTokens;
  private final List<ChatMessage> history;
  private final List<Turn> turns = new ArrayList<>();
  private int[] ids;
  private boolean[] mask;
  private float[] logprobs;
  private int length;
  private int sampledTurns;
  // The open turn.
  private String text;
  private int tokens;
  private long generateMillis;
  private ToolCall call;
  private String error;
  // What the trajectory has seen.
  private List<String> lastSearchUrls = List.of();
  private Map<String, String> queryOfUrl = Map.of();
  private final List<String> seen = new ArrayList<>();
  private TrajectoryEnd end;
  private String answer;

  public TrajectoryState(int index, Prompt prompt, int sample, ChatFormat.Start start) {
    this.index = index;
    this.prompt = prompt;
    this.sample = sample;
    this.history = new ArrayList<>(start.messages());
    int[] p = start.ids();
    this.promptTokens = p.length;
    this.ids = Arrays.copyOf(p, Math.max(16, p.length * 2));
    this.mask = new boolean[ids.length];
    this.logprobs = new float[ids.length];
    this.length = p.length;
  }

  public int index() {
    return index;
  }

  /** Names the trajectory for its sampling seeds: its question's id and its sample number. */
  public long seedKey() {
    return ((long) prompt.id().hashCode() << 24) ^ sample;
  }

  public Prompt prompt() {
    return prompt;
  }

  /** Tokens so far. */
  public int length() {
    return length;
  }

  /** The tokens so far: the next turn's prompt. */
  public int[] ids() {
    return Arrays.copyOf(ids, length);
  }

  /** Turns sampled so far. */
  public int turns() {
    return sampledTurns;
  }

  /** The tool call of the open turn, or {@code null}. */
  public ToolCall pendingCall() {
    return call;
  }

  public List<String> lastSearchUrls() {
    return lastSearchUrls;
  }

  public List<String> seenExtracts() {
    return List.copyOf(seen);
  }

  /** The search that found the first of {@code urls} (what the reader looks for), or empty. */
  public String subQuestion(List<String> urls) {
    for (String u : urls) {
      String q = queryOfUrl.get(u);
      if (q != null) {
        return q;
      }
    }
    return "";
  }

  /** Appends a sampled turn; it stays open until its outcome is known. */
  public void sampled(Generation g, long millis) {
    int[] t = g.tokens();
    float[] lp = g.logprobs();
    ensure(length + t.length);
    for (int i = 0; i < t.length; i++) {
      ids[length] = t[i];
      mask[length] = true;
      logprobs[length] = lp[i];
      length++;
    }
    sampledTurns++;
    text = g.text();
    tokens = t.length;
    generateMillis = millis;
    call = null;
    error = null;
  }

  public void calls(ToolCall c) {
    call = c;
  }

  public void badCall(String reason) {
    call = null;
    error = reason;
  }

  public void answered(String a) {
    answer = a;
    end(TrajectoryEnd.ANSWERED, null);
  }

  /** Ends the trajectory, closing the open turn (if any) with {@code why}. */
  public void end(TrajectoryEnd reason, String why) {
    if (text != null) {
      close(null, why == null ? error : why, 0);
    }
    end = reason;
  }

  /** The conversation with the open turn as the last assistant message. */
  public List<ChatMessage> historyWithTurn() {
    List<ChatMessage> h = new ArrayList<>(history);
    h.add(new ChatMessage("assistant", text));
    return h;
  }

  public void searched(List<String> urls, Map<String, String> found) {
    lastSearchUrls = List.copyOf(new LinkedHashSet<>(urls));
    queryOfUrl = Map.copyOf(found);
  }

  public void browsed(List<String> extractIds) {
    seen.addAll(extractIds);
  }

  /**
   * Closes the open turn with the tool's response and appends the template's tokens after it.
   * Returns false (and ends the trajectory) when they would not leave room for another token.
   */
  public boolean responded(
      String response, ChatFormat.Delta delta, long toolMillis, int maxTotalTokens) {
    history.add(new ChatMessage("assistant", text));
    history.add(new ChatMessage("tool", response));
    close(response, error, toolMillis);
    int[] d = delta.ids();
    if (length + d.length >= maxTotalTokens) {
      end = TrajectoryEnd.MAX_TOKENS;
      return false;
    }
    ensure(length + d.length);
    System.arraycopy(d, 0, ids, length, d.length);
    length += d.length;
    return true;
  }

  /** The tool could not be reached: the turn closes with the failure and the trajectory ends. */
  public void toolFailed(String failure, long toolMillis) {
    close(null, failure, toolMillis);
    end = TrajectoryEnd.TOOL_ERROR;
  }

  private void close(String response, String why, long toolMillis) {
    turns.add(new Turn(text, call, response, why, tokens, generateMillis, toolMillis));
    text = null;
    call = null;
    error = null;
  }

  private void ensure(int capacity) {
    if (capacity > ids.length) {
      int n = Math.max(capacity, ids.length * 2);
      ids = Arrays.copyOf(ids, n);
      mask = Arrays.copyOf(mask, n);
      logprobs = Arrays.copyOf(logprobs, n);
    }
  }

  /** The finished trajectory. */
  public Trajectory finish(ChatFormat format, long weightsVersion) {
    if (end == null) {
      throw new IllegalStateException("trajectory " + index + " has not ended");
    }
    int[] all = ids();
    String whole = format.decode(all);
    int promptChars = format.decode(Arrays.copyOf(all, promptTokens)).length();
    return new Trajectory(
        prompt.id() + "/" + sample,
        prompt.id(),
        sample,
        prompt,
        all,
        Arrays.copyOf(mask, length),
        Arrays.copyOf(logprobs, length),
        promptTokens,
        whole,
        Math.min(promptChars, whole.length()),
        turns,
        answer,
        end,
        weightsVersion);
  }
}
