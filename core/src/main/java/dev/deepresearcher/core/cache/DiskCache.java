package dev.deepresearcher.core.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A persistent cache of byte values by (namespace, key), in SQLite.
 *
 * <ul>
 *   <li><b>Crash-safe:</b> write-ahead log with {@code synchronous=NORMAL}: a killed process loses
 *       at most the write in flight, and the file stays consistent.
 *   <li><b>Shared:</b> several threads, and several processes on one machine, may use one file.
 *   <li><b>Expiry:</b> each value has an optional time to live; expired values read as misses.
 *   <li><b>Bounded:</b> when the stored values exceed {@code maxBytes}, the least recently used go
 *       until 90% of the bound is left. Reads refresh an entry's use time at most once an hour, so
 *       hits stay reads.
 * </ul>
 */
public final class DiskCache implements AutoCloseable {
  private static final int READERS = 4;
  private static final long TOUCH_INTERVAL_MS = 3_600_000L;
  private static final int SCHEMA_VERSION = 1;

  private final Path file;
  private final long maxBytes;
  private final Clock clock;
  private final Connection writer;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
  private final AtomicLong approximateBytes = new AtomicLong();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong evictions = new AtomicLong();
  private volatile boolean closed;

  private DiskCache(Path file, long maxBytes, Clock clock) {
    this.file = file;
    this.maxBytes = maxBytes;
    this.clock = clock;
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      this.writer = connect();
      try (Statement s = writer.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute(
            "CREATE TABLE IF NOT EXISTS entries ("
                + " namespace TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,"
                + " created_ms INTEGER NOT NULL, expires_ms INTEGER, accessed_ms INTEGER NOT NULL,"
                + " size INTEGER NOT NULL, PRIMARY KEY (namespace, key)) WITHOUT ROWID");
        s.execute("CREATE INDEX IF NOT EXISTS entries_by_use ON entries (accessed_ms)");
        s.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)");
        s.execute(
            "INSERT OR IGNORE INTO meta (name, value) VALUES ('schema_version', '"
                + SCHEMA_VERSION
                + "')");
      }
      approximateBytes.set(totalBytes());
      for (int i = 0; i < READERS; i++) {
        readers.add(connect());
      }
    } catch (SQLException | IOException e) {
      throw new CacheException(
          "cannot open the cache "
              + file
              + " ("
              + e.getMessage()
              + "); check that its folder is writable, or point cache.path elsewhere",
          e);
    }
  }

  /** Opens (creating when missing) the cache file, bounded to {@code maxBytes} of values. */
  public static DiskCache open(Path file, long maxBytes) {
    return open(file, maxBytes, Clock.systemUTC());
  }

  /** As {@link #open(Path, long)}, with the clock that decides expiry (for tests). */
  public static DiskCache open(Path file, long maxBytes, Clock clock) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
    }
    return new DiskCache(file, maxBytes, Objects.requireNonNull(clock, "clock"));
  }

  private Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=10000");
      s.execute("PRAGMA synchronous=NORMAL");
    }
    return c;
  }

  /** The value, if present and not expired. */
  public Optional<byte[]> get(String namespace, String key) {
    ensureOpen();
    long now = clock.millis();
    Connection c = takeReader();
    byte[] value = null;
    long accessed = 0;
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT value, expires_ms, accessed_ms FROM entries WHERE namespace = ? AND key = ?")) {
      q.setString(1, namespace);
      q.setString(2, key);
      try (ResultSet rs = q.executeQuery()) {
        if (rs.next()) {
          long expires = rs.getLong(2);
          boolean expired = !rs.wasNull() && expires <= now;
          if (!expired) {
            value = rs.getBytes(1);
            accessed = rs.getLong(3);
          }
        }
      }
    } catch (SQLException e) {
      throw failure("read", e);
    } finally {
      readers.add(c);
    }
    if (value == null) {
      misses.incrementAndGet();
      return Optional.empty();
    }
    hits.incrementAndGet();
    if (now - accessed > TOUCH_INTERVAL_MS) {
      touch(namespace, key, now);
    }
    return Optional.of(value);
  }

  /**
   * Stores {@code value}, replacing any old one.
   *
   * @param ttl time to live; {@code null} keeps the value until evicted
   */
  public void put(String namespace, String key, byte[] value, Duration ttl) {
    ensureOpen();
    long now = clock.millis();
    Long expires = ttl == null ? null : now + ttl.toMillis();
    writeLock.lock();
    try (PreparedStatement u =
        writer.prepareStatement(
            "INSERT INTO entries (namespace, key, value, created_ms, expires_ms, accessed_ms, size)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (namespace, key) DO UPDATE SET"
                + " value = excluded.value, created_ms = excluded.created_ms,"
                + " expires_ms = excluded.expires_ms, accessed_ms = excluded.accessed_ms,"
                + " size = excluded.size")) {
      u.setString(1, namespace);
      u.setString(2, key);
      u.setBytes(3, value);
      u.setLong(4, now);
      if (expires == null) {
        u.setNull(5, java.sql.Types.INTEGER);
      } else {
        u.setLong(5, expires);
      }
      u.setLong(6, now);
      u.setLong(7, value.length);
      u.executeUpdate();
      if (approximateBytes.addAndGet(value.length) > maxBytes) {
        evict(now);
      }
    } catch (SQLException e) {
      throw failure("write", e);
    } finally {
      writeLock.unlock();
    }
  }

  /** Removes the value; true if there was one. */
  public boolean remove(String namespace, String key) {
    ensureOpen();
    writeLock.lock();
    try (PreparedStatement d =
        writer.prepareStatement("DELETE FROM entries WHERE namespace = ? AND key = ?")) {
      d.setString(1, namespace);
      d.setString(2, key);
      return d.executeUpdate() > 0;
    } catch (SQLException e) {
      throw failure("write", e);
    } finally {
      writeLock.unlock();
    }
  }

  /** Counters and sizes, for metrics and logs. */
  public record Stats(long hits, long misses, long evictions, long entries, long bytes) {}

  /** Current statistics; counts entries and bytes exactly. */
  public Stats stats() {
    ensureOpen();
    Connection c = takeReader();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM entries")) {
      rs.next();
      return new Stats(hits.get(), misses.get(), evictions.get(), rs.getLong(1), rs.getLong(2));
    } catch (SQLException e) {
      throw failure("read", e);
    } finally {
      readers.add(c);
    }
  }

  /** SQLite's own consistency check; "ok" for a healthy file. */
  public String integrityCheck() {
    ensureOpen();
    writeLock.lock();
    try (Statement s = writer.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw failure("check", e);
    } finally {
      writeLock.unlock();
    }
  }

  private void touch(String namespace, String key, long now) {
    if (!writeLock.tryLock()) {
      return; // best effort: a busy writer is not worth waiting for
    }
    try (PreparedStatement u =
        writer.prepareStatement(
            "UPDATE entries SET accessed_ms = ? WHERE namespace = ? AND key = ?")) {
      u.setLong(1, now);
      u.setString(2, namespace);
      u.setString(3, key);
      u.executeUpdate();
    } catch (SQLException e) {
      throw failure("write", e);
    } finally {
      writeLock.unlock();
    }
  }

  /** Drops expired values, then the least recently used, down to 90% of the bound. Locked. */
  private void evict(long now) throws SQLException {
    try (PreparedStatement expired =
        writer.prepareStatement(
            "DELETE FROM entries WHERE expires_ms IS NOT NULL AND expires_ms <= ?")) {
      expired.setLong(1, now);
      evictions.addAndGet(expired.executeUpdate());
    }
    long total = totalBytes();
    long target = maxBytes / 10 * 9;
    if (total > target) {
      try (PreparedStatement pick =
              writer.prepareStatement(
                  "SELECT namespace, key, size FROM entries ORDER BY accessed_ms LIMIT 256");
          PreparedStatement delete =
              writer.prepareStatement("DELETE FROM entries WHERE namespace = ? AND key = ?")) {
        while (total > target) {
          int removed = 0;
          try (ResultSet rs = pick.executeQuery()) {
            while (rs.next() && total > target) {
              delete.setString(1, rs.getString(1));
              delete.setString(2, rs.getString(2));
              delete.executeUpdate();
              total -= rs.getLong(3);
              removed++;
            }
          }
          evictions.addAndGet(removed);
          if (removed == 0) {
            break;
          }
        }
      }
    }
    approximateBytes.set(totalBytes());
  }

  private long totalBytes() throws SQLException {
    try (Statement s = writer.createStatement();
        ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(size), 0) FROM entries")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private Connection takeReader() {
    try {
      return readers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CacheException("interrupted while waiting for the cache " + file, e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the cache " + file + " is closed");
    }
  }

  private CacheException failure(String what, SQLException e) {
    return new CacheException("cache " + what + " failed on " + file + ": " + e.getMessage(), e);
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    writeLock.lock();
    try {
      for (Connection c : readers) {
        c.close();
      }
      writer.close();
    } catch (SQLException e) {
      throw failure("close", e);
    } finally {
      writeLock.unlock();
    }
  }
}
