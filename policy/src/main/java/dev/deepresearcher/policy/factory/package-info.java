/**
 * Tiny Qwen2 models from scratch ({@link dev.deepresearcher.policy.factory.TinyModels}): a
 * byte-level BPE tokenizer trained in Java on the texts the model will see, a compact chat
 * template, and randomly initialised weights, written as a Hugging Face model folder for the
 * offline demo and tests.
 */
package dev.deepresearcher.policy.factory;
