/**
 * Supervised fine-tuning: conversations rendered with the model's chat template, the loss on the
 * assistant's tokens only ({@code scripts/sft}).
 */
package dev.deepresearcher.policy.sft;
