package dev.deepresearcher.rollout;

import java.util.Objects;

/**
 * One assistant turn of a trajectory and what the tools answered.
 *
 * @param text the assistant's text, as sampled, without the end-of-turn token
 * @param call the tool call it made, or {@code null} (an answer, a broken format, or a call the
 *     policy wrote wrongly: see {@code error})
 * @param toolResponse what the policy was shown in reply, or {@code null} when nothing was
 * @param error what went wrong in this turn (a malformed tool call, a format error, a tool
 *     failure), or {@code null}
 * @param sampledTokens tokens the policy generated in this turn, the end-of-turn token included
 * @param generateMillis wall time of the generation batch this turn was part of
 * @param toolMillis wall time of its tool call, 0 without one
 */
public record Turn(
    String text,
    ToolCall call,
    String toolResponse,
    String error,
    int sampledTokens,
    long generateMillis,
    long toolMillis) {
  public Turn {
    Objects.requireNonNull(text, "text");
  }
}
