/**
 * The policy model on DJL (PyTorch engine): loading Hugging Face Qwen2 checkpoints, the tokenizer
 * and the model's own chat template, batched KV-cache generation with sampling log-probabilities,
 * and the training forward pass (log-probs and entropy with gradients, LoRA, optimizers,
 * checkpoints). Engine types never leak through this package's API.
 */
package dev.deepresearcher.policy;
