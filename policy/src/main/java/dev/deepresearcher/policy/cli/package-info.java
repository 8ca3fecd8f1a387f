/** The policy's command-line tools: {@code scripts/generate}. */
package dev.deepresearcher.policy.cli;
