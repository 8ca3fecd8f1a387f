/**
 * Multi-turn agent rollouts: rollout workers hold a policy replica and run the think → tool call →
 * tool response → answer loop for groups of trajectories, calling the search handler; the reward
 * actor scores finished trajectories. Trajectories are token-exact: trained ids are the sampled
 * ones.
 */
package dev.deepresearcher.rollout;
