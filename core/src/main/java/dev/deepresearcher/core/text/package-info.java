/**
 * Text with Python's exact semantics, where the project must reproduce what Python code prints:
 * {@link dev.deepresearcher.core.text.PythonRepr} (judge prompts, chat templates).
 */
package dev.deepresearcher.core.text;
