package dev.deepresearcher.rollout;

import dev.deepresearcher.core.config.PolicyDevice;
import dev.deepresearcher.core.config.RolloutConfig;
import dev.deepresearcher.core.config.SecretEnv;
import dev.deepresearcher.policy.Policy;
import dev.deepresearcher.search.HandlerClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A rollout actor: holds a replica of the policy and a client of the search handlers, and runs the
 * agent loop for the questions it is given. Created by an {@code ActorRuntime} from its {@link
 * Init}, in this process or in a cluster's worker JVM.
 *
 * <pre>{@code
 * ActorGroup<RolloutWorker> workers = runtime.createGroup(
 *     new ActorSpec<>(RolloutWorker.class, init, ActorOptions.named("rollout")), 2);
 * workers.broadcast(RolloutWorker::importWeights, trainer.exportWeights()).join();
 * RolloutResult r = workers.get(0).call(RolloutWorker::generate, request).join();
 * }</pre>
 */
public final class RolloutWorker implements AutoCloseable {
  /**
   * Everything a worker needs, as plain values that cross process boundaries.
   *
   * @param model the policy's Hugging Face folder (the trainer's starting point)
   * @param device where the replica runs
   * @param threads PyTorch's intra-op threads, 0 for its default
   * @param handlerUrls the search handler replicas
   * @param authTokenEnv environment variable holding the handlers' bearer token (read in the
   *     worker's own process), or {@code null}
   * @param clientTimeout how long one handler call may take
   * @param rollout the agent loop's settings
   */
  public record Init(
      String model,
      PolicyDevice device,
      int threads,
      List<String> handlerUrls,
      String authTokenEnv,
      Duration clientTimeout,
      RolloutConfig rollout) {
    public Init {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(device, "device");
      handlerUrls = List.copyOf(handlerUrls);
      Objects.requireNonNull(clientTimeout, "clientTimeout");
      Objects.requireNonNull(rollout, "rollout");
      if (handlerUrls.isEmpty()) {
        throw new IllegalArgumentException("a rollout worker needs at least one handler URL");
      }
    }
  }

  private final Policy policy;
  private final HandlerClient client;
  private final RolloutEngine engine;

  public RolloutWorker(Init init) {
    this.policy = Policy.load(Path.of(init.model()), init.device(), init.threads());
    try {
      String token =
          init.authTokenEnv() == null
              ? null
              : new SecretEnv(init.authTokenEnv(), "handler.auth_token_env")
                  .resolve(System.getenv());
      this.client =
          new HandlerClient(
              init.handlerUrls().stream().map(URI::create).toList(),
              token,
              init.clientTimeout(),
              Duration.ofSeconds(5),
              1024);
      this.engine =
          new RolloutEngine(
              TurnGenerator.of(policy),
              ChatFormat.of(policy, init.rollout().systemPrompt()),
              Tools.of(client),
              init.rollout(),
              policy::weightsVersion);
    } catch (RuntimeException e) {
      policy.close();
      throw e;
    }
  }

  /**
   * Runs the request's trajectories.
   *
   * @throws RolloutException when this replica's weights are older than the request asks for
   */
  public RolloutResult generate(RolloutRequest request) {
    long have = policy.weightsVersion();
    if (have < request.weightsVersion()) {
      throw new RolloutException(
          "this rollout worker holds policy weights version "
              + have
              + " but the request asks for version "
              + request.weightsVersion()
              + "; push the new weights (importWeights) before generating");
    }
    return engine.run(request);
  }

  /** Installs a weights update from the trainer; returns its version. */
  public Long importWeights(byte[] payload) {
    return policy.importWeights(payload);
  }

  /** The version of the weights this replica holds. */
  public Long weightsVersion() {
    return policy.weightsVersion();
  }

  /** This worker's process id (where it runs). */
  public Long pid() {
    return ProcessHandle.current().pid();
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      policy.close();
    }
  }
}
