package dev.deepresearcher.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deepresearcher.core.data.ChatMessage;
import dev.deepresearcher.core.http.RetryAfter;
import dev.deepresearcher.core.http.RetryPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Sends chat-completion requests to one endpoint, retrying what is worth retrying. Thread-safe: one
 * client serves many threads over one connection pool. See the package documentation for an
 * example.
 */
public final class ChatClient implements AutoCloseable {
  /** Waits between attempts; replaced in tests. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);
  private static final int MAX_ERROR_CHARS = 300;

  private final ChatEndpoint endpoint;
  private final OkHttpClient http;
  private final Sleeper sleeper;
  private final RandomGenerator random;

  /** A client with real waits and its own connection pool. */
  public ChatClient(ChatEndpoint endpoint) {
    this(endpoint, d -> Thread.sleep(d), RandomGenerator.of("L64X128MixRandom"));
  }

  /** A client with the given waits and jitter source (for tests). */
  public ChatClient(ChatEndpoint endpoint, Sleeper sleeper, RandomGenerator random) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.random = Objects.requireNonNull(random, "random");
    this.http =
        new OkHttpClient.Builder()
            .callTimeout(endpoint.timeout())
            .connectTimeout(
                Duration.ofSeconds(Math.min(10, Math.max(1, endpoint.timeout().toSeconds()))))
            .readTimeout(endpoint.timeout())
            .retryOnConnectionFailure(false) // retries are ours, counted and backed off
            .build();
  }

  /** The endpoint this client talks to. */
  public ChatEndpoint endpoint() {
    return endpoint;
  }

  /**
   * Asks the model to continue {@code messages}.
   *
   * @throws ChatException when every attempt failed, or at once for an error retries cannot fix
   */
  public ChatReply complete(List<ChatMessage> messages) {
    byte[] body = requestBody(messages);
    RetryPolicy retry = endpoint.retry();
    ChatException last = null;
    for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
      Duration wait;
      try {
        return new ChatReply(send(body), attempt);
      } catch (Failure f) {
        last = new ChatException(f.getMessage(), f.status, f.retryable, f.getCause());
        if (!f.retryable) {
          throw last;
        }
        wait = f.retryAfter != null ? f.retryAfter : retry.backoff(attempt, random);
      }
      if (attempt < retry.maxAttempts()) {
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ChatException(
              "interrupted while waiting to retry " + endpoint.completionsUrl(), -1, false, e);
        }
      }
    }
    throw new ChatException(
        "gave up on "
            + endpoint.completionsUrl()
            + " after "
            + retry.maxAttempts()
            + " attempts; last: "
            + last.getMessage(),
        last.status(),
        true,
        last);
  }

  private byte[] requestBody(List<ChatMessage> messages) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", endpoint.model());
    ArrayNode array = root.putArray("messages");
    for (ChatMessage m : messages) {
      array.addObject().put("role", m.role()).put("content", m.content());
    }
    root.put("temperature", endpoint.temperature());
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One attempt's failure, with what the retry loop needs to know. */
  private static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final boolean retryable;
    final transient Duration retryAfter;

    Failure(String message, int status, boolean retryable, Duration retryAfter, Throwable cause) {
      super(message, cause);
      this.status = status;
      this.retryable = retryable;
      this.retryAfter = retryAfter;
    }
  }

  private String send(byte[] body) throws Failure {
    Request.Builder request =
        new Request.Builder()
            .url(endpoint.completionsUrl())
            .post(RequestBody.create(body, JSON_TYPE));
    if (endpoint.apiKey() != null) {
      request.header("Authorization", "Bearer " + endpoint.apiKey());
    }
    String url = endpoint.completionsUrl();
    try (Response response = http.newCall(request.build()).execute()) {
      int code = response.code();
      ResponseBody responseBody = response.body();
      String text = responseBody == null ? "" : responseBody.string();
      if (code == 429 || code == 408 || code >= 500) {
        throw new Failure(
            url + " answered " + code + describe(text),
            code,
            true,
            RetryAfter.parse(response.header("Retry-After"), MAX_RETRY_AFTER, Clock.systemUTC()),
            null);
      }
      if (code < 200 || code >= 300) {
        throw new Failure(
            url + " answered " + code + describe(text) + hint(code), code, false, null, null);
      }
      return content(text, url, code);
    } catch (InterruptedIOException e) {
      throw new Failure(url + " timed out after " + endpoint.timeout(), -1, true, null, e);
    } catch (IOException e) {
      throw new Failure(url + " failed: " + e, -1, true, null, e);
    }
  }

  private static String content(String text, String url, int code) throws Failure {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (IOException e) {
      throw new Failure(
          url + " answered " + code + " with a body that is not JSON" + describe(text),
          code,
          true,
          null,
          e);
    }
    JsonNode message = root == null ? null : root.path("choices").path(0).path("message");
    if (message == null || message.isMissingNode()) {
      throw new Failure(
          url + " answered " + code + " without choices[0].message" + describe(text),
          code,
          true,
          null,
          null);
    }
    JsonNode content = message.get("content");
    return content == null || content.isNull() ? "" : content.asText();
  }

  private static String describe(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String b = body.strip().replaceAll("\\s+", " ");
    try {
      JsonNode error = JSON.readTree(b).path("error");
      JsonNode msg = error.isObject() ? error.path("message") : error;
      if (msg.isTextual()) {
        b = msg.asText();
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: show the raw start
    }
    return ": " + (b.length() > MAX_ERROR_CHARS ? b.substring(0, MAX_ERROR_CHARS) + "…" : b);
  }

  private static String hint(int code) {
    return switch (code) {
      case 401, 403 -> " (check the API key in the environment variable the config names)";
      case 404 ->
          " (check the base URL: it is the part before /chat/completions, e.g. https://api.openai.com/v1, and the model name)";
      default -> "";
    };
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
