/** Rollout file reading, the LLM judge and the demo rollout generator. Not API. */
package dev.deepresearcher.evaluate.internal;
