package dev.deepresearcher.rollout;

import dev.deepresearcher.policy.TrainingSequence;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One finished trajectory, token-exact: {@code ids} are the prompt, every sampled token and the
 * chat template's tokens around them (role headers, tool responses) exactly as the policy was fed
 * them, so training sees what was sampled. {@code lossMask} is true on the sampled tokens only, the
 * end-of-turn token included; {@code logprobs} holds each sampled token's log-probability under the
 * policy that sampled it (0 elsewhere).
 *
 * @param id {@code <groupId>/<sample>}
 * @param groupId the question's id: trajectories of one question form a GRPO group
 * @param sample which of the question's trajectories this is, from 0
 * @param prompt the question
 * @param ids every token, prompt first
 * @param lossMask per token, whether the policy sampled it
 * @param logprobs per token, its sampling log-probability where sampled, else 0
 * @param promptTokens tokens of the initial prompt
 * @param text the whole conversation as text (prompt included), decoded from {@code ids}
 * @param promptChars characters of {@code text} that are the prompt
 * @param turns the assistant turns in order
 * @param answer the final answer, or {@code null}
 * @param end why it ended
 * @param weightsVersion the version of the policy weights that sampled it
 */
public record Trajectory(
    String id,
    String groupId,
    int sample,
    Prompt prompt,
    int[] ids,
    boolean[] lossMask,
    float[] logprobs,
    int promptTokens,
    String text,
    int promptChars,
    List<Turn> turns,
    String answer,
    TrajectoryEnd end,
    long weightsVersion) {
  public Trajectory {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(end, "end");
    ids = ids.clone();
    lossMask = lossMask.clone();
    logprobs = logprobs.clone();
    turns = List.copyOf(turns);
    if (lossMask.length != ids.length || logprobs.length != ids.length) {
      throw new IllegalArgumentException(
          "trajectory "
              + id
              + " has "
              + ids.length
              + " ids, "
              + lossMask.length
              + " mask flags and "
              + logprobs.length
              + " log-probabilities; they must be as many");
    }
    if (promptTokens < 1 || promptTokens > ids.length) {
      throw new IllegalArgumentException(
          "trajectory " + id + " has promptTokens " + promptTokens + " of " + ids.length);
    }
    if (promptChars < 0 || promptChars > text.length()) {
      throw new IllegalArgumentException(
          "trajectory " + id + " has promptChars " + promptChars + " of " + text.length());
    }
  }

  @Override
  public int[] ids() {
    return ids.clone();
  }

  @Override
  public boolean[] lossMask() {
    return lossMask.clone();
  }

  @Override
  public float[] logprobs() {
    return logprobs.clone();
  }

  /**
   * What the policy produced after the prompt: turns, tool responses, answer (the reward's input).
   */
  public String response() {
    return text.substring(promptChars);
  }

  /** Tokens the policy sampled. */
  public int sampledTokens() {
    int n = 0;
    for (boolean b : lossMask) {
      n += b ? 1 : 0;
    }
    return n;
  }

  /** Tool calls that ran. */
  public int toolCalls() {
    int n = 0;
    for (Turn t : turns) {
      n += t.call() != null ? 1 : 0;
    }
    return n;
  }

  /** The sequence to train on: these ids, the loss on the sampled tokens. */
  public TrainingSequence trainingSequence() {
    return new TrainingSequence(ids, lossMask);
  }

  /**
   * The sampling log-probabilities laid out as the trainer's per-token values: element {@code j} is
   * about token {@code j + 1}.
   */
  public float[] oldLogprobs() {
    return Arrays.copyOfRange(logprobs, 1, logprobs.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Trajectory t
        && id.equals(t.id)
        && groupId.equals(t.groupId)
        && sample == t.sample
        && prompt.equals(t.prompt)
        && Arrays.equals(ids, t.ids)
        && Arrays.equals(lossMask, t.lossMask)
        && Arrays.equals(logprobs, t.logprobs)
        && promptTokens == t.promptTokens
        && text.equals(t.text)
        && promptChars == t.promptChars
        && turns.equals(t.turns)
        && Objects.equals(answer, t.answer)
        && end == t.end
        && weightsVersion == t.weightsVersion;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, Arrays.hashCode(ids), end, weightsVersion);
  }

  @Override
  public String toString() {
    return "Trajectory["
        + id
        + ", "
        + ids.length
        + " tokens, "
        + turns.size()
        + " turns, "
        + end.jsonName()
        + (answer == null ? "" : ", answer " + answer)
        + "]";
  }
}
