package dev.deepresearcher.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A local stand-in for an OpenAI-compatible chat endpoint: it speaks the real wire format ({@code
 * POST /v1/chat/completions}, {@code choices[0].message.content}, OpenAI's error bodies) and
 * answers with a scripted function of each request, so tests can serve normal replies, 429s with
 * Retry-After, 500s, garbage and slow replies.
 */
public final class MockChatServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A request as received. */
  public record Received(JsonNode body, String authorization) {
    /** The last message's content: the prompt, for most scripted handlers. */
    public String lastMessage() {
      JsonNode messages = body.get("messages");
      return messages.get(messages.size() - 1).get("content").asText();
    }
  }

  /** What to answer. */
  public record Reply(int status, String body, Map<String, String> headers, long delayMillis) {
    /** A normal completion whose message content is {@code content}. */
    public static Reply content(String content) {
      ObjectNode root = JSON.createObjectNode();
      root.put("id", "chatcmpl-mock");
      root.put("object", "chat.completion");
      root.put("model", "mock");
      ObjectNode choice = root.putArray("choices").addObject();
      choice.put("index", 0);
      choice.put("finish_reason", "stop");
      choice.putObject("message").put("role", "assistant").put("content", content);
      root.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5);
      return new Reply(200, root.toString(), Map.of(), 0);
    }

    /** An error status with OpenAI's error body, e.g. 429 or 500. */
    public static Reply error(int status, String message) {
      ObjectNode root = JSON.createObjectNode();
      root.putObject("error").put("message", message).put("type", "mock_error");
      return new Reply(status, root.toString(), Map.of(), 0);
    }

    /** 429 with a Retry-After header in seconds. */
    public static Reply rateLimited(int retryAfterSeconds) {
      Reply r = error(429, "Rate limit reached");
      return new Reply(
          429, r.body(), Map.of("Retry-After", Integer.toString(retryAfterSeconds)), 0);
    }

    /** A 200 whose body is not JSON (a misbehaving proxy). */
    public static Reply garbage() {
      return new Reply(200, "<html>502 Bad Gateway</html>", Map.of(), 0);
    }

    /** This reply, after a delay. */
    public Reply delayed(long millis) {
      return new Reply(status, body, headers, millis);
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile Function<Received, Reply> handler;

  /** Starts on a free loopback port, answering with {@code handler}. */
  public MockChatServer(Function<Received, Reply> handler) {
    this.handler = handler;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL to configure, e.g. {@code http://127.0.0.1:43123/v1}. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  /** Replaces the scripted handler. */
  public void handler(Function<Received, Reply> handler) {
    this.handler = handler;
  }

  /** Requests received so far. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  /** How many requests arrived. */
  public int calls() {
    return calls.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      calls.incrementAndGet();
      byte[] raw = exchange.getRequestBody().readAllBytes();
      if (!exchange.getRequestMethod().equals("POST")
          || !exchange.getRequestURI().getPath().endsWith("/chat/completions")) {
        send(exchange, Reply.error(404, "Unknown request URL"));
        return;
      }
      JsonNode body;
      try {
        body = JSON.readTree(raw);
      } catch (IOException e) {
        send(exchange, Reply.error(400, "We could not parse the JSON body of your request."));
        return;
      }
      Received r = new Received(body, exchange.getRequestHeaders().getFirst("Authorization"));
      received.add(r);
      Reply reply = handler.apply(r);
      if (reply.delayMillis() > 0) {
        try {
          Thread.sleep(reply.delayMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      send(exchange, reply);
    }
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(reply.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
