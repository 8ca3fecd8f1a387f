/**
 * A client for OpenAI-compatible chat-completion endpoints ({@code POST {base}/chat/completions}),
 * as used by the LLM judge and the browse agent's reader: bounded retries with exponential backoff
 * and jitter on 429, 5xx, timeouts and connection errors, {@code Retry-After} honoured, immediate
 * and clear failure on other client errors, and the API key never printed.
 *
 * <pre>{@code
 * ChatEndpoint endpoint = new ChatEndpoint(URI.create("https://api.openai.com/v1"), "gpt-4o-mini",
 *     System.getenv("OPENAI_API_KEY"), 0.7, Duration.ofSeconds(60), RetryPolicy.DEFAULT);
 * try (ChatClient client = new ChatClient(endpoint)) {
 *   String text = client.complete(List.of(ChatMessage.user("Hello"))).content();
 * }
 * }</pre>
 */
package dev.deepresearcher.core.llm;
