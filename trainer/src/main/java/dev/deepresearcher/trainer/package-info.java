/**
 * The GRPO trainer: group-relative advantages, the PPO-clip loss with KL and entropy terms, the
 * driver that runs rollouts, rewards and updates on the actor runtime, checkpoints and resume.
 * Nothing depends on this module.
 */
package dev.deepresearcher.trainer;
