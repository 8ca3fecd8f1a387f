/**
 * What the command-line tools share: one way to report errors (a clear message and exit code, no
 * stack trace for a user mistake), the {@code --config} and {@code key=value} options, and a
 * progress bar.
 */
package dev.deepresearcher.core.cli;
