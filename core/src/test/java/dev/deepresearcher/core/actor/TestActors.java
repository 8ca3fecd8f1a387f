package dev.deepresearcher.core.actor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Actors and messages of the actor tests. Public and static, because a Ray worker JVM constructs
 * them from target/test-classes.
 */
public final class TestActors {
  private TestActors() {}

  /** A message with every kind of field that must cross. */
  public record Item(
      String id,
      int[] ids,
      float[] logprobs,
      byte[] payload,
      List<String> tags,
      Map<String, Long> counts,
      Item child) {
    /** A helper that is not a component: it must not be sent. */
    public boolean isLeaf() {
      return child == null;
    }
  }

  /** A call's caller and its sequence number among that caller's calls. */
  public record Tagged(String caller, int seq) {}

  /** A record that holds something that cannot cross. */
  public record Holder(Object value) {}

  /** An {@link Error}: the actor that throws it dies. */
  public static final class Death extends Error {
    private static final long serialVersionUID = 1L;

    public Death(String message) {
      super(message);
    }
  }

  /** Counts, and records the calls it got in order and whether two ever ran at once. */
  public static class Counter {
    private long total;
    private final List<String> log = new ArrayList<>();
    private int inside;
    private boolean overlapped;

    public Counter() {}

    public Counter(Long start) {
      this.total = start;
    }

    public long add(Long n) {
      total += n;
      return total;
    }

    public long total() {
      return total;
    }

    public int append(Tagged call) {
      if (++inside > 1) {
        overlapped = true;
      }
      Thread.yield(); // give an overlapping call a chance to show
      log.add(call.caller() + ":" + call.seq());
      inside--;
      return log.size();
    }

    public List<String> log() {
      return log;
    }

    public boolean overlapped() {
      return overlapped;
    }

    public long pid() {
      return ProcessHandle.current().pid();
    }

    long secret(Long n) {
      return n;
    }
  }

  /** Knows its name: a call that lands on the wrong actor gets another name back. */
  public static class Named {
    private final String name;

    public Named(String name) {
      this.name = name;
    }

    public String whoAmI(Tagged call) {
      return name;
    }
  }

  /** Sends messages back as they came. */
  public static class Echo {
    public Item item(Item item) {
      return item;
    }

    public List<Item> items(List<Item> items) {
      return items;
    }

    public Map<String, List<Item>> grouped(Map<String, List<Item>> groups) {
      return groups;
    }

    public byte[] bytes(byte[] bytes) {
      return bytes;
    }

    public String text(String text) {
      return text;
    }

    public Integer length(Holder holder) {
      return String.valueOf(holder.value()).length();
    }

    public Holder thread() {
      return new Holder(Thread.currentThread());
    }
  }

  /** Counts its calls since it was constructed; fails or dies on request. */
  public static class Fragile {
    private int calls;

    public Fragile(String name) {}

    public int calls() {
      return ++calls;
    }

    /** Keeps the actor busy, so that the calls made meanwhile queue behind this one. */
    public int nap(Integer millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return millis;
    }

    public String fail(String message) {
      throw new IllegalStateException(message);
    }

    public String die(String message) {
      throw new Death(message);
    }
  }

  /** Writes a file when closed, so a test can see that it was. */
  public static class Closing implements AutoCloseable {
    private final Path marker;

    public Closing(String marker) {
      this.marker = Path.of(marker);
    }

    public String ping() {
      return "pong";
    }

    @Override
    public void close() {
      try {
        Files.writeString(marker, "closed");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Cannot be constructed. */
  public static class Broken {
    public Broken(String why) {
      throw new IllegalArgumentException(why);
    }
  }
}
