/** The score-rewards command. */
package dev.deepresearcher.reward.cli;
