package dev.deepresearcher.search.internal;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The handler's counters, gauges and latency histograms, written in Prometheus' text exposition
 * format for {@code GET /metrics}.
 */
public final class HandlerMetrics {
  private static final double[] BUCKETS = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
  };

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> backendRequests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> backendErrors = new ConcurrentHashMap<>();
  private final LongAdder cacheHits = new LongAdder();
  private final LongAdder cacheMisses = new LongAdder();
  private final LongAdder coalesced = new LongAdder();
  private final LongAdder queries = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final AtomicLong inFlight = new AtomicLong();

  private static final class Histogram {
    final LongAdder[] counts = new LongAdder[BUCKETS.length];
    final LongAdder count = new LongAdder();
    final DoubleAdder sum = new DoubleAdder();

    Histogram() {
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new LongAdder();
      }
    }

    void observe(double seconds) {
      for (int i = 0; i < BUCKETS.length; i++) {
        if (seconds <= BUCKETS[i]) {
          counts[i].increment();
          break;
        }
      }
      count.increment();
      sum.add(seconds);
    }
  }

  void request(String endpoint, int status, double seconds) {
    requests.computeIfAbsent(endpoint + "\u0000" + status, k -> new LongAdder()).increment();
    latency.computeIfAbsent(endpoint, k -> new Histogram()).observe(seconds);
  }

  void backendRequest(String backend, String outcome) {
    backendRequests.computeIfAbsent(backend + "\u0000" + outcome, k -> new LongAdder()).increment();
  }

  void backendError(String backend, String kind) {
    backendErrors.computeIfAbsent(backend + "\u0000" + kind, k -> new LongAdder()).increment();
  }

  void cacheHit() {
    cacheHits.increment();
  }

  void cacheMiss() {
    cacheMisses.increment();
  }

  void coalesced() {
    coalesced.increment();
  }

  void queries(int n) {
    queries.add(n);
  }

  void rejected() {
    rejected.increment();
  }

  void enter() {
    inFlight.incrementAndGet();
  }

  void leave() {
    inFlight.decrementAndGet();
  }

  /** Cache hits so far (for tests and logs). */
  public long cacheHits() {
    return cacheHits.sum();
  }

  /** Cache misses so far. */
  public long cacheMisses() {
    return cacheMisses.sum();
  }

  /** Queries answered by another request's backend call. */
  public long coalescedQueries() {
    return coalesced.sum();
  }

  /** The exposition text. */
  public String render() {
    StringBuilder sb = new StringBuilder(4096);
    header(sb, "dr_handler_requests_total", "counter", "HTTP requests by endpoint and status.");
    new TreeMap<>(requests)
        .forEach(
            (k, v) -> {
              String[] p = k.split("\u0000");
              sb.append("dr_handler_requests_total{endpoint=\"")
                  .append(p[0])
                  .append("\",code=\"")
                  .append(p[1])
                  .append("\"} ")
                  .append(v.sum())
                  .append('\n');
            });
    header(sb, "dr_handler_request_duration_seconds", "histogram", "Request latency by endpoint.");
    new TreeMap<>(latency)
        .forEach(
            (endpoint, h) -> {
              long cumulative = 0;
              for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += h.counts[i].sum();
                sb.append("dr_handler_request_duration_seconds_bucket{endpoint=\"")
                    .append(endpoint)
                    .append("\",le=\"")
                    .append(number(BUCKETS[i]))
                    .append("\"} ")
                    .append(cumulative)
                    .append('\n');
              }
              String label = "{endpoint=\"" + endpoint + "\"";
              sb.append("dr_handler_request_duration_seconds_bucket")
                  .append(label)
                  .append(",le=\"+Inf\"} ")
                  .append(h.count.sum())
                  .append('\n');
              sb.append("dr_handler_request_duration_seconds_sum")
                  .append(label)
                  .append("} ")
                  .append(number(h.sum.sum()))
                  .append('\n');
              sb.append("dr_handler_request_duration_seconds_count")
                  .append(label)
                  .append("} ")
                  .append(h.count.sum())
                  .append('\n');
            });
    gauge(sb, "dr_handler_in_flight", "Requests being handled.", inFlight.get());
    counter(
        sb,
        "dr_handler_rejected_total",
        "Requests answered 429 because the handler was saturated.",
        rejected.sum());
    counter(sb, "dr_search_queries_total", "Search queries received.", queries.sum());
    counter(sb, "dr_search_cache_hits_total", "Queries answered from the cache.", cacheHits.sum());
    counter(sb, "dr_search_cache_misses_total", "Queries not in the cache.", cacheMisses.sum());
    counter(
        sb,
        "dr_search_coalesced_total",
        "Queries that waited for an identical query in flight.",
        coalesced.sum());
    header(
        sb,
        "dr_search_backend_requests_total",
        "counter",
        "Backend requests by backend and outcome.");
    labelled(sb, "dr_search_backend_requests_total", "backend", "outcome", backendRequests);
    header(
        sb, "dr_search_backend_errors_total", "counter", "Backend failures by backend and kind.");
    labelled(sb, "dr_search_backend_errors_total", "backend", "kind", backendErrors);
    return sb.toString();
  }

  private static void labelled(
      StringBuilder sb, String name, String l1, String l2, Map<String, LongAdder> values) {
    new TreeMap<>(values)
        .forEach(
            (k, v) -> {
              String[] p = k.split("\u0000");
              sb.append(name)
                  .append('{')
                  .append(l1)
                  .append("=\"")
                  .append(p[0])
                  .append("\",")
                  .append(l2)
                  .append("=\"")
                  .append(p[1])
                  .append("\"} ")
                  .append(v.sum())
                  .append('\n');
            });
  }

  private static void header(StringBuilder sb, String name, String type, String help) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void counter(StringBuilder sb, String name, String help, long value) {
    header(sb, name, "counter", help);
    sb.append(name).append(' ').append(value).append('\n');
  }

  private static void gauge(StringBuilder sb, String name, String help, long value) {
    header(sb, name, "gauge", help);
    sb.append(name).append(' ').append(value).append('\n');
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
  }
}
