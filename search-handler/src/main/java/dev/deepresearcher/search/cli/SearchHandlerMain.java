package dev.deepresearcher.search.cli;

import dev.deepresearcher.core.cli.Cli;
import dev.deepresearcher.core.cli.ConfigOptions;
import dev.deepresearcher.core.config.DeepResearcherConfig;
import dev.deepresearcher.search.SearchHandler;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code scripts/search-handler}: runs a search handler until stopped. */
@Command(
    name = "search-handler",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the search handler: POST /search, POST /browse, GET /doc/{id}, GET /healthz, GET /metrics.",
      "Example: scripts/search-handler search.backend=local search.local.index=<dir> handler.port=8080"
    })
public final class SearchHandlerMain implements Callable<Integer> {
  @Mixin ConfigOptions config;

  public static void main(String[] args) {
    int code = Cli.run(new SearchHandlerMain(), args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    DeepResearcherConfig cfg = config.load();
    try (SearchHandler handler = SearchHandler.start(cfg, System.getenv())) {
      System.err.println(
          "search handler ("
              + handler.backendName()
              + ") listening on "
              + handler.url()
              + (cfg.handler().authTokenEnv() == null ? "" : " (bearer token required)"));
      handler.awaitShutdown();
      System.err.println("stopping");
    }
    return 0;
  }
}
