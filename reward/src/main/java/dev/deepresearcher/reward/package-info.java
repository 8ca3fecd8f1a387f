/**
 * Rewards: how an answer is scored against its ground truths.
 *
 * <p>{@link dev.deepresearcher.reward.RewardFunction} is the API; {@link
 * dev.deepresearcher.reward.Rewards} builds the implementations by name:
 *
 * <ul>
 *   <li>{@code deepresearcher-f1}, {@code deepresearcher-em} — DeepResearcher's training reward,
 *       reproduced exactly (its 600 reference cases match in both modes): the response is
 *       lower-cased, unbalanced {@code <think>}, {@code <answer>} or {@code <tool_call>} tags or a
 *       missing answer give −1, the first {@code <answer>} is compared with every ground truth
 *       after ASCII punctuation becomes spaces, by word-set F1 or exact match, and the best ground
 *       truth wins;
 *   <li>{@code squad-f1}, {@code squad-em} — the SQuAD evaluation's EM and multiset F1 (articles
 *       removed) on the first {@code <answer>}.
 * </ul>
 *
 * <p>All are thread-safe and allocate little: they are called on every trajectory.
 *
 * <pre>{@code
 * RewardFunction reward = Rewards.create(RewardName.DEEPRESEARCHER_F1);
 * double r = reward.score("<think>…</think><answer>Paris</answer>", List.of("Paris", "Paris, France"));
 * }</pre>
 */
package dev.deepresearcher.reward;
