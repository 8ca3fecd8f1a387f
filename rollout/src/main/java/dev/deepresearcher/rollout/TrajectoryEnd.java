package dev.deepresearcher.rollout;

import java.util.Locale;

/** Why a trajectory ended. */
public enum TrajectoryEnd {
  /** The policy gave an answer in {@code <answer>…</answer>}. */
  ANSWERED,
  /**
   * A turn broke the format: no {@code <think>…</think>} first, neither one tool call nor one
   * answer after it, unbalanced or stray tags, or text after the call or answer.
   */
  FORMAT_ERROR,
  /** The policy was still calling tools when the turn limit came. */
  MAX_TURNS,
  /** A turn, or the trajectory as a whole, reached its token limit. */
  MAX_TOKENS,
  /**
   * A tool could not be reached (the search handler was down or failed): the trajectory says
   * nothing about the policy and is left out of training.
   */
  TOOL_ERROR;

  /** The lower-case name used in rollout files ({@code answered}, {@code format_error}, …). */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
