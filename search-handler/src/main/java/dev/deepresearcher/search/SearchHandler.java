package dev.deepresearcher.search;

import dev.deepresearcher.browse.BrowseAgent;
import dev.deepresearcher.core.cache.DiskCache;
import dev.deepresearcher.core.cli.ProgressBar;
import dev.deepresearcher.core.config.ConfigException;
import dev.deepresearcher.core.config.ConfigProblem;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.core.config.HandlerConfig;
import dev.deepresearcher.core.config.SearchConfig;
import dev.deepresearcher.search.internal.HandlerMetrics;
import dev.deepresearcher.search.internal.HandlerServer;
import dev.deepresearcher.search.internal.SearchServices;
import dev.deepresearcher.search.internal.backend.BraveBackend;
import dev.deepresearcher.search.internal.backend.SearxngBackend;
import dev.deepresearcher.search.internal.backend.SerperBackend;
import dev.deepresearcher.search.internal.local.LocalBackend;
import dev.deepresearcher.search.internal.local.LuceneIndexes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The search handler: an HTTP service that answers batches of search queries ({@code POST
 * /search}), reads pages ({@code POST /browse}), serves the local corpus' pages ({@code GET
 * /doc/{id}}), and reports its health and metrics. Stateless, so any replica serves any request.
 *
 * <pre>{@code
 * try (SearchHandler handler = SearchHandler.start(config, System.getenv())) {
 *   System.out.println("listening on " + handler.url());
 *   handler.awaitShutdown();
 * }
 * }</pre>
 *
 * <p>Embedded in a training or evaluation process, {@link #startEmbedded} binds a free loopback
 * port; {@link SearchHandlers#connect} does that when no handler URLs are configured.
 */
public final class SearchHandler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SearchHandler.class);

  private final DiskCache cache;
  private final SearchBackend backend;
  private final HandlerServer server;
  private final HandlerMetrics metrics;
  private final BrowseAgent browser;

  private SearchHandler(
      DeepResearcherConfig config,
      Map<String, String> env,
      InetSocketAddress bind,
      SearchBackend customBackend) {
    SearchConfig search = config.search();
    HandlerConfig handler = config.handler();
    String token = handler.authTokenEnv() == null ? null : handler.authTokenEnv().resolve(env);
    AtomicReference<URI> publicUrl = new AtomicReference<>(handler.publicUrl());
    this.metrics = new HandlerMetrics();
    SearchBackend b = customBackend != null ? customBackend : backend(config, env, publicUrl);
    DiskCache c = null;
    HandlerServer s = null;
    BrowseAgent agent = null;
    try {
      c = DiskCache.open(config.cache().path(), config.cache().maxBytes());
      s =
          new HandlerServer(
              new HandlerServer.Settings(
                  bind,
                  token,
                  handler.maxBodyBytes(),
                  handler.maxQueries(),
                  search.topK(),
                  search.maxTopK(),
                  handler.maxConcurrentRequests()),
              SearchServices.create(b, search, identity(b, search), c, metrics),
              b instanceof LocalBackend local ? local : null,
              metrics);
      publicUrl.compareAndSet(null, s.url());
      // The handler may always read its own /doc pages, wherever it listens.
      List<URI> own = new ArrayList<>(List.of(s.url()));
      if (handler.publicUrl() != null) {
        own.add(handler.publicUrl());
      }
      BrowseAgent.LocalPages local =
          b instanceof LocalBackend lb
              ? url ->
                  lb.documentByUrl(url).map(d -> new BrowseAgent.LocalPage(d.title(), d.text()))
              : null;
      agent = BrowseAgent.create(config.browse(), env, c, own, local);
      s.start(agent);
    } catch (RuntimeException e) {
      b.close();
      if (s != null) {
        s.close();
      }
      if (agent != null) {
        agent.close();
      }
      if (c != null) {
        c.close();
      }
      throw e;
    }
    this.backend = b;
    this.cache = c;
    this.server = s;
    this.browser = agent;
  }

  /** Starts on {@code handler.host}:{@code handler.port} with the configured backend. */
  public static SearchHandler start(DeepResearcherConfig config, Map<String, String> env) {
    HandlerConfig h = config.handler();
    return new SearchHandler(config, env, new InetSocketAddress(h.host(), h.port()), null);
  }

  /** Starts on a free loopback port, for use inside one process. */
  public static SearchHandler startEmbedded(DeepResearcherConfig config, Map<String, String> env) {
    return new SearchHandler(config, env, new InetSocketAddress("127.0.0.1", 0), null);
  }

  /** Starts on a free loopback port with a given backend (tests, custom engines). */
  public static SearchHandler startEmbedded(
      DeepResearcherConfig config, Map<String, String> env, SearchBackend backend) {
    return new SearchHandler(config, env, new InetSocketAddress("127.0.0.1", 0), backend);
  }

  /** Where the handler listens, e.g. {@code http://127.0.0.1:8080}. */
  public URI url() {
    return server.url();
  }

  /** The backend's name. */
  public String backendName() {
    return backend.name();
  }

  /** Counters (also served at {@code /metrics}). */
  public HandlerMetrics metrics() {
    return metrics;
  }

  /** Blocks until the process is asked to stop (SIGINT, SIGTERM). */
  public void awaitShutdown() throws InterruptedException {
    Thread current = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(current::interrupt));
    try {
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      // asked to stop
    }
  }

  private static SearchBackend backend(
      DeepResearcherConfig config, Map<String, String> env, AtomicReference<URI> publicUrl) {
    SearchConfig search = config.search();
    return switch (search.backend()) {
      case SERPER ->
          new SerperBackend(
              search.serper(), search.serper().apiKeyEnv().resolve(env), search.timeout());
      case BRAVE ->
          new BraveBackend(
              search.brave(), search.brave().apiKeyEnv().resolve(env), search.timeout());
      case SEARXNG -> new SearxngBackend(search.searxng(), search.timeout());
      case LOCAL -> local(search.local(), () -> publicUrl.get().toString());
    };
  }

  private static LocalBackend local(
      SearchConfig.Local local, java.util.function.Supplier<String> base) {
    Path index = local.index();
    try {
      LuceneIndexes.Status status = LuceneIndexes.status(index);
      if (status != LuceneIndexes.Status.READY) {
        if (local.corpus() == null && status == LuceneIndexes.Status.OTHER_FORMAT) {
          throw new ConfigException(
              List.of(
                  new ConfigProblem(
                      "search.local.index",
                      index
                          + " holds an index of another format (built by another version); rebuild"
                          + " it with scripts/build-index --corpus <jsonl> --index "
                          + index,
                      "")));
        }
        if (local.corpus() == null) {
          throw new ConfigException(
              List.of(
                  new ConfigProblem(
                      "search.local.index",
                      "no index at "
                          + index
                          + "; build one with scripts/build-index --corpus <jsonl> --index "
                          + index
                          + ", or set search.local.corpus=<jsonl> to build it on start",
                      "")));
        }
        if (!Files.exists(local.corpus())) {
          throw new ConfigException(
              List.of(
                  new ConfigProblem("search.local.corpus", "no such file: " + local.corpus(), "")));
        }
        LOG.info("building the local index {} from {}", index, local.corpus());
        long lines;
        try (var stream = Files.lines(local.corpus())) {
          lines = stream.count();
        }
        try (ProgressBar bar = ProgressBar.start("indexing", lines)) {
          LuceneIndexes.build(
              local.corpus(), index, Runtime.getRuntime().availableProcessors(), bar);
        }
      }
      return new LocalBackend(index, base, local.snippetChars());
    } catch (IOException e) {
      throw new SearchException("cannot open the local index " + index + ": " + e.getMessage(), e);
    }
  }

  /** The backend and the settings that change its results, so cached entries follow them. */
  private static String identity(SearchBackend backend, SearchConfig search) {
    return switch (backend.name()) {
      case "serper" -> "serper|" + search.serper().gl() + "|" + search.serper().hl();
      case "local" -> "local|" + search.local().index().toAbsolutePath().normalize();
      case "searxng" -> "searxng|" + search.searxng().url();
      default -> backend.name();
    };
  }

  @Override
  public void close() {
    server.close();
    browser.close();
    backend.close();
    cache.close();
  }
}
