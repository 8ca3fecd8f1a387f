/**
 * The policy's command-line tools: {@code scripts/generate}, {@code scripts/sft}, {@code
 * scripts/make-tiny-model}.
 */
package dev.deepresearcher.policy.cli;
