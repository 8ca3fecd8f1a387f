package dev.deepresearcher.core.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.deepresearcher.core.data.ChatMessage;
import dev.deepresearcher.core.http.RetryPolicy;
import dev.deepresearcher.core.testing.MockChatServer;
import dev.deepresearcher.core.testing.MockChatServer.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class ChatClientTest {
  private final List<Duration> waits = new ArrayList<>();

  private ChatClient client(MockChatServer server, String key, int attempts, Duration timeout) {
    ChatEndpoint endpoint =
        new ChatEndpoint(
            server.baseUrl(),
            "judge-model",
            key,
            0.7,
            timeout,
            new RetryPolicy(attempts, Duration.ofSeconds(1), Duration.ofSeconds(8)));
    return new ChatClient(endpoint, waits::add, RandomGenerator.of("L64X128MixRandom"));
  }

  private static List<ChatMessage> hello() {
    return List.of(new ChatMessage("system", "be brief"), ChatMessage.user("hello"));
  }

  @Test
  void sendsTheRealWireFormatAndReadsTheReply() {
    try (MockChatServer server = new MockChatServer(r -> Reply.content("hi there"));
        ChatClient client = client(server, "sk-test", 3, Duration.ofSeconds(5))) {
      ChatReply reply = client.complete(hello());
      assertEquals("hi there", reply.content());
      assertEquals(1, reply.attempts());
      MockChatServer.Received r = server.received().get(0);
      assertEquals("Bearer sk-test", r.authorization());
      assertEquals("judge-model", r.body().get("model").asText());
      assertEquals(0.7, r.body().get("temperature").asDouble());
      assertEquals("system", r.body().get("messages").get(0).get("role").asText());
      assertEquals("hello", r.lastMessage());
    }
  }

  @Test
  void withoutAKeyNoAuthorizationIsSent() {
    try (MockChatServer server = new MockChatServer(r -> Reply.content("ok"));
        ChatClient client = client(server, null, 1, Duration.ofSeconds(5))) {
      client.complete(hello());
      assertNull(server.received().get(0).authorization());
    }
  }

  @Test
  void rateLimitsAndServerErrorsAreRetriedWithBackoffAndRetryAfterWins() {
    AtomicInteger n = new AtomicInteger();
    try (MockChatServer server =
            new MockChatServer(
                r ->
                    switch (n.incrementAndGet()) {
                      case 1 -> Reply.rateLimited(3);
                      case 2 -> Reply.error(500, "boom");
                      case 3 -> Reply.error(503, "overloaded");
                      case 4 -> Reply.garbage();
                      default -> Reply.content("finally");
                    });
        ChatClient client = client(server, "k", 6, Duration.ofSeconds(5))) {
      ChatReply reply = client.complete(hello());
      assertEquals("finally", reply.content());
      assertEquals(5, reply.attempts());
      assertEquals(Duration.ofSeconds(3), waits.get(0), "Retry-After is honoured");
      // Equal jitter: attempt n waits between half and all of min(8 s, 1 s * 2^(n-1)).
      assertTrue(between(waits.get(1), 1000, 2000), waits.toString());
      assertTrue(between(waits.get(2), 2000, 4000), waits.toString());
      assertTrue(between(waits.get(3), 4000, 8000), waits.toString());
    }
  }

  private static boolean between(Duration d, long loMs, long hiMs) {
    return d.toMillis() >= loMs && d.toMillis() <= hiMs;
  }

  @Test
  void retriesAreBoundedAndTheLastErrorIsReported() {
    try (MockChatServer server = new MockChatServer(r -> Reply.error(500, "database on fire"));
        ChatClient client = client(server, "k", 4, Duration.ofSeconds(5))) {
      ChatException e = assertThrows(ChatException.class, () -> client.complete(hello()));
      assertEquals(4, server.calls());
      assertEquals(3, waits.size(), "no wait after the last attempt");
      assertEquals(500, e.status());
      assertTrue(e.retryable());
      assertTrue(
          e.getMessage()
              .startsWith("gave up on " + server.baseUrl() + "/chat/completions after 4 attempts"),
          e.getMessage());
      assertTrue(e.getMessage().contains("answered 500: database on fire"), e.getMessage());
    }
  }

  @Test
  void anAuthenticationErrorFailsAtOnceWithAHintAndNoKey() {
    try (MockChatServer server =
            new MockChatServer(r -> Reply.error(401, "Incorrect API key provided: sk-secr***"));
        ChatClient client = client(server, "sk-secret-value", 6, Duration.ofSeconds(5))) {
      ChatException e = assertThrows(ChatException.class, () -> client.complete(hello()));
      assertEquals(1, server.calls());
      assertFalse(e.retryable());
      assertTrue(e.getMessage().contains("401"), e.getMessage());
      assertTrue(e.getMessage().contains("check the API key"), e.getMessage());
      assertFalse(e.getMessage().contains("sk-secret-value"), e.getMessage());
      assertFalse(client.endpoint().toString().contains("sk-secret-value"));
    }
  }

  @Test
  void aSlowServerTimesOutAndIsRetried() {
    AtomicInteger n = new AtomicInteger();
    try (MockChatServer server =
            new MockChatServer(
                r ->
                    n.incrementAndGet() == 1
                        ? Reply.content("late").delayed(3000)
                        : Reply.content("fast"));
        ChatClient client = client(server, "k", 3, Duration.ofMillis(500))) {
      long start = System.nanoTime();
      ChatReply reply = client.complete(hello());
      assertEquals("fast", reply.content());
      assertEquals(2, reply.attempts());
      assertTrue(System.nanoTime() - start < 2_500_000_000L, "the slow reply was not waited for");
    }
  }

  @Test
  void aRefusedConnectionIsRetriedThenReported() {
    MockChatServer server = new MockChatServer(r -> Reply.content("x"));
    server.close(); // nothing listens on that port any more
    try (ChatClient client = client(server, "k", 2, Duration.ofSeconds(2))) {
      ChatException e = assertThrows(ChatException.class, () -> client.complete(hello()));
      assertEquals(-1, e.status());
      assertEquals(1, waits.size());
    }
  }
}
