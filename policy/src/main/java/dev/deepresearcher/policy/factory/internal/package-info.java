/** The tiny-model factory's machinery: pre-tokenization, BPE training, the files' contents. */
package dev.deepresearcher.policy.factory.internal;
