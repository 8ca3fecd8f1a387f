package dev.deepresearcher.browse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deepresearcher.browse.internal.AddressPolicy;
import dev.deepresearcher.browse.internal.FetchException;
import dev.deepresearcher.browse.internal.FetchedPage;
import dev.deepresearcher.browse.internal.LlmReader;
import dev.deepresearcher.browse.internal.OfflineReader;
import dev.deepresearcher.browse.internal.PageFetcher;
import dev.deepresearcher.browse.internal.PageReader;
import dev.deepresearcher.browse.internal.Paginator;
import dev.deepresearcher.browse.internal.SafeDns;
import dev.deepresearcher.core.cache.DiskCache;
import dev.deepresearcher.core.config.BrowseConfig;
import dev.deepresearcher.core.config.ConfigException;
import dev.deepresearcher.core.config.ConfigProblem;
import dev.deepresearcher.core.http.RetryPolicy;
import dev.deepresearcher.core.llm.ChatClient;
import dev.deepresearcher.core.llm.ChatEndpoint;
import dev.deepresearcher.core.llm.ChatException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads web pages for a trajectory, as DeepResearcher's browse tool does: fetches each URL safely,
 * extracts its readable text, splits it into pages and has a reader (an LLM, or the offline reader)
 * pick out what is relevant to the question and the search that found the page. Stateless: the
 * request carries the URLs the trajectory may read and the extracts it has already seen.
 *
 * <pre>{@code
 * try (BrowseAgent agent = BrowseAgent.create(config.browse(), System.getenv(), cache, List.of())) {
 *   List<PageResult> pages = agent.browse(new BrowseRequest(question, query, urls, lastSearchUrls, seen));
 * }
 * }</pre>
 */
public final class BrowseAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BrowseAgent.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String CACHE_NAMESPACE = "page";

  private final BrowseConfig config;
  private final PageFetcher fetcher;
  private final PageReader reader;
  private final ChatClient chat;
  private final DiskCache cache;
  private final Semaphore fetches;
  private final LocalPages localPages;

  /**
   * Pages known without the web: the local search backend's corpus pages, by their URL. A URL it
   * knows is read from it, never fetched.
   */
  @FunctionalInterface
  public interface LocalPages {
    /** The page at {@code url}, or empty when it is not a local page. */
    Optional<LocalPage> page(String url);
  }

  /**
   * A local page.
   *
   * @param title its title
   * @param text its text, paragraphs separated by blank lines
   */
  public record LocalPage(String title, String text) {}

  private BrowseAgent(
      BrowseConfig config,
      PageFetcher fetcher,
      PageReader reader,
      ChatClient chat,
      DiskCache cache,
      LocalPages localPages) {
    this.config = config;
    this.fetcher = fetcher;
    this.reader = reader;
    this.chat = chat;
    this.cache = cache;
    this.fetches = new Semaphore(config.maxConcurrentFetches(), true);
    this.localPages = localPages;
  }

  /**
   * An agent as configured.
   *
   * @param cache the page cache, or {@code null} to fetch every time
   * @param trustedOrigins origins that may be fetched even on private addresses, such as the search
   *     handler's own {@code /doc/} pages
   * @throws ConfigException for an allow-list entry that cannot be read, or a reader key that is
   *     not set
   */
  public static BrowseAgent create(
      BrowseConfig config, Map<String, String> env, DiskCache cache, List<URI> trustedOrigins) {
    return create(config, env, cache, trustedOrigins, PageFetcher.systemResolver(), null);
  }

  /**
   * As {@link #create(BrowseConfig, Map, DiskCache, List)}, reading the pages that {@code
   * localPages} knows from it instead of the web.
   */
  public static BrowseAgent create(
      BrowseConfig config,
      Map<String, String> env,
      DiskCache cache,
      List<URI> trustedOrigins,
      LocalPages localPages) {
    return create(config, env, cache, trustedOrigins, PageFetcher.systemResolver(), localPages);
  }

  /**
   * As {@link #create(BrowseConfig, Map, DiskCache, List)}, resolving names with {@code resolver}.
   */
  static BrowseAgent create(
      BrowseConfig config,
      Map<String, String> env,
      DiskCache cache,
      List<URI> trustedOrigins,
      SafeDns.Resolver resolver,
      LocalPages localPages) {
    List<String> allow = new ArrayList<>(config.allowHosts());
    for (URI origin : trustedOrigins) {
      allow.add(
          origin.getHost()
              + ":"
              + (origin.getPort() < 0
                  ? (origin.getScheme().equals("https") ? 443 : 80)
                  : origin.getPort()));
    }
    AddressPolicy policy;
    try {
      policy = new AddressPolicy(allow);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          List.of(new ConfigProblem("browse.allow_hosts", e.getMessage(), "")), e);
    }
    BrowseConfig.Reader r = config.reader();
    ChatClient chat = null;
    PageReader reader;
    if (r.url() == null) {
      reader = new OfflineReader(r.offlineChars());
    } else {
      String key = r.apiKeyEnv().isSet(env) ? r.apiKeyEnv().resolve(env) : null;
      chat =
          new ChatClient(
              new ChatEndpoint(
                  r.url(),
                  r.model(),
                  key,
                  r.temperature(),
                  r.timeout(),
                  new RetryPolicy(r.maxAttempts(), r.initialBackoff(), r.maxBackoff())));
      reader = new LlmReader(chat, r.unparseableRetries());
    }
    return new BrowseAgent(
        config, new PageFetcher(config, policy, resolver), reader, chat, cache, localPages);
  }

  /** Reads every URL of the request, in parallel; one result per URL, in order. */
  public List<PageResult> browse(BrowseRequest request) {
    Set<String> allowed = new HashSet<>();
    for (String u : request.allowedUrls()) {
      allowed.add(normalize(u));
    }
    Set<String> seen = new HashSet<>(request.seen());
    Map<String, Future<PageResult>> byUrl = new LinkedHashMap<>();
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      for (String url : request.urls()) {
        if (byUrl.containsKey(url)) {
          continue;
        }
        byUrl.put(url, exec.submit(() -> one(url, request, allowed, seen)));
      }
      List<PageResult> results = new ArrayList<>(request.urls().size());
      for (String url : request.urls()) {
        results.add(await(url, byUrl.get(url)));
      }
      return results;
    }
  }

  private PageResult one(String url, BrowseRequest request, Set<String> allowed, Set<String> seen) {
    if (url == null || url.isBlank()) {
      return PageResult.failed(String.valueOf(url), "empty URL");
    }
    if (!allowed.contains(normalize(url))) {
      return PageResult.failed(
          url,
          "not browsed: this URL is not among the results of your last web_search; browse URLs"
              + " from those results, or search again");
    }
    FetchedPage page;
    try {
      page = fetch(url);
    } catch (FetchException e) {
      return PageResult.failed(url, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return PageResult.failed(url, "interrupted");
    }
    if (page.text().isBlank()) {
      return PageResult.failed(url, "the page has no readable text");
    }
    List<String> pages = Paginator.pages(page.text(), config.pageChars());
    List<PageReader.Found> found;
    try {
      found = reader.read(request.question(), request.subQuestion(), url, pages, config.maxPages());
    } catch (ChatException e) {
      LOG.warn("the page reader failed on {}: {}", url, e.getMessage());
      return PageResult.failed(url, "the page reader failed: " + e.getMessage());
    }
    List<Extract> extracts = new ArrayList<>();
    for (PageReader.Found f : found) {
      String id = id(url, f.pageNumber(), f.information());
      if (!seen.contains(id)) {
        extracts.add(new Extract(f.pageNumber(), f.information(), id));
      }
    }
    return new PageResult(url, extracts, null);
  }

  private FetchedPage fetch(String url) throws FetchException, InterruptedException {
    if (localPages != null) {
      Optional<LocalPage> local = localPages.page(url);
      if (local.isPresent()) {
        return new FetchedPage(url, "text", local.get().title(), local.get().text(), false);
      }
    }
    String key = normalize(url);
    if (cache != null) {
      Optional<byte[]> hit = cache.get(CACHE_NAMESPACE, key);
      if (hit.isPresent()) {
        try {
          return JSON.readValue(hit.get(), FetchedPage.class);
        } catch (IOException e) {
          // a damaged entry: fetch again
        }
      }
    }
    fetches.acquire();
    FetchedPage page;
    try {
      page = fetcher.fetch(url);
    } finally {
      fetches.release();
    }
    if (cache != null && !page.text().isBlank()) {
      try {
        cache.put(CACHE_NAMESPACE, key, JSON.writeValueAsBytes(page), config.cacheTtl());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return page;
  }

  private static PageResult await(String url, Future<PageResult> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return PageResult.failed(url, "interrupted");
    } catch (ExecutionException e) {
      LOG.error("browsing {} failed", url, e.getCause());
      return PageResult.failed(url, "internal error while reading the page");
    }
  }

  /** Scheme and host lower-cased, default port and fragment dropped, a trailing slash ignored. */
  static String normalize(String url) {
    HttpUrl u = HttpUrl.parse(url.strip());
    if (u == null) {
      return url.strip();
    }
    String s = u.newBuilder().fragment(null).build().toString();
    return s.endsWith("/") && !u.encodedPath().equals("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** A short, stable fingerprint of one extract. */
  static String id(String url, int page, String information) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(
          (normalize(url) + "\n" + page + "\n" + information).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    fetcher.close();
    if (chat != null) {
      chat.close();
    }
  }
}
