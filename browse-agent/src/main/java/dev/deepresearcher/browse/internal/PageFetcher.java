package dev.deepresearcher.browse.internal;

import dev.deepresearcher.core.config.BrowseConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Fetches one URL safely: http(s) only; every hop's address checked (literal addresses here, names
 * in {@link SafeDns}); redirects followed by hand, at most {@code max_redirects}, loops refused;
 * one deadline over waiting for a slot, every hop and the whole body (so a server that trickles
 * bytes is cut off); a per-host limit; the body capped; text decoded with the declared, sniffed or
 * default charset, bad bytes replaced; HTML, text and PDF turned into readable text.
 */
public final class PageFetcher implements AutoCloseable {
  private final BrowseConfig config;
  private final AddressPolicy policy;
  private final OkHttpClient safe;
  private final OkHttpClient trusted;
  private final ConcurrentHashMap<String, Semaphore> perHost = new ConcurrentHashMap<>();

  public PageFetcher(BrowseConfig config, AddressPolicy policy, SafeDns.Resolver resolver) {
    this.config = config;
    this.policy = policy;
    OkHttpClient base =
        new OkHttpClient.Builder()
            .followRedirects(false)
            .followSslRedirects(false)
            .retryOnConnectionFailure(false)
            .connectTimeout(config.connectTimeout())
            .readTimeout(config.readTimeout())
            .build();
    base.dispatcher().setMaxRequests(config.maxConcurrentFetches());
    base.dispatcher().setMaxRequestsPerHost(config.maxPerHost());
    this.safe = base.newBuilder().dns(new SafeDns(policy, resolver)).build();
    this.trusted = base.newBuilder().dns(hostname -> resolver.resolve(hostname)).build();
  }

  /** A resolver that asks the system. */
  public static SafeDns.Resolver systemResolver() {
    return hostname -> Dns.SYSTEM.lookup(hostname);
  }

  /** Fetches {@code url} and extracts its text, or says why not. */
  public FetchedPage fetch(String url) throws FetchException {
    long deadline = System.nanoTime() + config.deadline().toNanos();
    HttpUrl current = parse(url);
    Set<String> visited = new HashSet<>();
    for (int hop = 0; ; hop++) {
      if (!visited.add(current.toString())) {
        throw new FetchException("refused: redirect loop at " + current);
      }
      boolean trustedHop = checkAddress(current);
      Semaphore slot =
          perHost.computeIfAbsent(
              current.host() + ":" + current.port(), h -> new Semaphore(config.maxPerHost(), true));
      long remaining = deadline - System.nanoTime();
      try {
        if (remaining <= 0 || !slot.tryAcquire(remaining, TimeUnit.NANOSECONDS)) {
          throw timedOut();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FetchException("interrupted", e);
      }
      try {
        Request request =
            new Request.Builder()
                .url(current)
                .header("User-Agent", config.userAgent())
                .header(
                    "Accept",
                    "text/html,application/xhtml+xml,text/plain;q=0.9,application/pdf;q=0.8,*/*;q=0.5")
                .header("Accept-Language", "en;q=1.0, *;q=0.5")
                .get()
                .build();
        Call call = (trustedHop ? trusted : safe).newCall(request);
        call.timeout().timeout(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        try (Response response = call.execute()) {
          int code = response.code();
          if (code >= 300 && code < 400 && response.header("Location") != null) {
            if (hop >= config.maxRedirects()) {
              throw new FetchException(
                  "refused: more than " + config.maxRedirects() + " redirects");
            }
            HttpUrl next = current.resolve(response.header("Location"));
            if (next == null) {
              throw new FetchException(
                  "refused: a redirect to '"
                      + response.header("Location")
                      + "', which is not an http(s) URL");
            }
            current = next;
            continue;
          }
          if (code < 200 || code >= 300) {
            throw new FetchException(
                "the page answered "
                    + code
                    + (response.message().isEmpty() ? "" : " " + response.message()));
          }
          return read(current, response);
        }
      } catch (SafeDns.Refused e) {
        throw new FetchException(
            "refused: " + e.getMessage() + "; browsing stays on the public web");
      } catch (InterruptedIOException e) {
        throw timedOut();
      } catch (UnknownHostException e) {
        throw new FetchException("unknown host " + current.host());
      } catch (IOException e) {
        throw new FetchException("could not fetch the page: " + e.getMessage(), e);
      } finally {
        slot.release();
      }
    }
  }

  private FetchException timedOut() {
    return new FetchException("the page did not load within " + seconds(config.deadline()));
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static HttpUrl parse(String url) throws FetchException {
    String u = url.strip();
    String lower = u.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      int colon = u.indexOf(':');
      String scheme = colon > 0 && colon < 12 ? u.substring(0, colon) : "";
      throw new FetchException(
          "refused: only http and https URLs can be browsed"
              + (scheme.isEmpty() ? "" : " (not " + scheme + ":)"));
    }
    HttpUrl parsed = HttpUrl.parse(u);
    if (parsed == null) {
      throw new FetchException("not a valid URL");
    }
    return parsed;
  }

  /**
   * Checks a literal-address host now (names are checked by {@link SafeDns} when resolved).
   *
   * @return true when the host is allow-listed and may resolve anywhere
   */
  private boolean checkAddress(HttpUrl url) throws FetchException {
    if (policy.allowsHost(url.host(), url.port())) {
      return true;
    }
    String host = url.host();
    if (host.matches("[0-9.]+") || host.contains(":")) {
      try {
        Optional<String> refusal = policy.refusal(InetAddress.getByName(host));
        if (refusal.isPresent()) {
          throw new FetchException(
              "refused: " + refusal.get() + "; browsing stays on the public web");
        }
      } catch (UnknownHostException e) {
        throw new FetchException("not a valid address: " + host);
      }
    }
    return false;
  }

  private FetchedPage read(HttpUrl url, Response response) throws IOException, FetchException {
    ResponseBody body = response.body();
    MediaType type = body == null ? null : body.contentType();
    Buffer buffer = new Buffer();
    boolean truncated = false;
    if (body != null) {
      BufferedSource source = body.source();
      long cap = config.maxBytes();
      while (buffer.size() <= cap) {
        long n = source.read(buffer, Math.min(65_536, cap + 1 - buffer.size()));
        if (n == -1) {
          break;
        }
      }
      if (buffer.size() > cap) {
        truncated = true;
      }
    }
    byte[] bytes = buffer.readByteArray(Math.min(buffer.size(), config.maxBytes()));
    String kind = kind(type, bytes);
    return switch (kind) {
      case "pdf" -> {
        if (truncated) {
          throw new FetchException(
              "the PDF is larger than " + config.maxBytes() / 1_000_000 + " MB");
        }
        PdfText.Document doc = PdfText.extract(bytes);
        yield new FetchedPage(url.toString(), "pdf", doc.title(), doc.text(), false);
      }
      case "html" -> {
        String html = Charsets.decode(bytes, Charsets.forHtml(type, bytes));
        HtmlText.Document doc = HtmlText.extract(html, url.toString(), config.maxHtmlDepth());
        yield new FetchedPage(url.toString(), "html", doc.title(), doc.text(), truncated);
      }
      case "text" ->
          new FetchedPage(
              url.toString(),
              "text",
              "",
              Charsets.decode(bytes, Charsets.declared(type, bytes)),
              truncated);
      default ->
          throw new FetchException(
              "cannot read "
                  + (type == null ? "this content" : type.type() + "/" + type.subtype())
                  + ": only web pages, plain text and PDFs can be browsed");
    };
  }

  /** html, text, pdf, or other: the declared type, with the body's first bytes as a tie-breaker. */
  static String kind(MediaType type, byte[] bytes) {
    if (startsWith(bytes, "%PDF-")) {
      return "pdf";
    }
    if (type == null || type.subtype().equals("octet-stream")) {
      String head =
          new String(bytes, 0, Math.min(bytes.length, 512), Charset.forName("ISO-8859-1"))
              .toLowerCase(Locale.ROOT);
      if (head.contains("<html") || head.contains("<!doctype html") || head.contains("<body")) {
        return "html";
      }
      return type == null && looksLikeText(bytes) ? "text" : "other";
    }
    String t = type.type() + "/" + type.subtype();
    if (t.equals("text/html") || t.equals("application/xhtml+xml")) {
      return "html";
    }
    if (t.equals("application/pdf")) {
      return "pdf";
    }
    if (type.type().equals("text")
        || t.equals("application/json")
        || t.endsWith("+json")
        || t.equals("application/xml")) {
      return "text";
    }
    return "other";
  }

  private static boolean startsWith(byte[] bytes, String prefix) {
    if (bytes.length < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (bytes[i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean looksLikeText(byte[] bytes) {
    int n = Math.min(bytes.length, 1024);
    for (int i = 0; i < n; i++) {
      if (bytes[i] == 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    safe.dispatcher().executorService().shutdown();
    safe.connectionPool().evictAll();
    trusted.connectionPool().evictAll();
  }
}
