package dev.deepresearcher.core.llm;

import java.util.Objects;

/**
 * A model's answer.
 *
 * @param content the message text; empty when the model sent none
 * @param attempts requests it took, retries included
 */
public record ChatReply(String content, int attempts) {
  public ChatReply {
    Objects.requireNonNull(content, "content");
  }
}
