package dev.deepresearcher.policy.factory;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A model folder {@link TinyModels#create} wrote.
 *
 * @param dir the Hugging Face model folder, ready for {@code Policy.load}
 * @param tokenizer its tokenizer
 * @param vocabSize the embedding's rows: the tokenizer's size rounded up to a multiple of 64
 * @param parameters the number of weights
 */
public record TinyModel(Path dir, TinyTokenizer tokenizer, int vocabSize, long parameters) {
  public TinyModel {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(tokenizer, "tokenizer");
  }
}
