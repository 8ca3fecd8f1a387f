/**
 * Reward implementations and the Python-compatible text operations they rely on. Not API; use
 * Rewards.
 */
package dev.deepresearcher.reward.internal;
