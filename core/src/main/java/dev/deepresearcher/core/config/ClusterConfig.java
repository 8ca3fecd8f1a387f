package dev.deepresearcher.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where actors run ({@code cluster.*}): in this process, or on a Ray cluster. See {@code
 * docs/actors.md}.
 *
 * <pre>{@code
 * try (ActorRuntime runtime = ActorRuntimes.create(config.cluster())) { ... }
 * }</pre>
 *
 * @param backend {@code in-process} (one thread per actor) or {@code ray}
 * @param address {@code host:port} of the Ray head; required by the ray backend
 * @param rayJar Ray's Java runtime ({@code ray_dist.jar} from the cluster's {@code ray} wheel);
 *     {@code null} looks in the venv {@code scripts/ray-cluster} creates
 * @param workerJvmOptions extra flags for Ray's worker JVMs, e.g. {@code -Xmx16g}
 * @param roundTripMessages in-process only: encode and decode every init message, argument and
 *     reply as the ray backend does, to catch messages that could not cross a process boundary
 */
public record ClusterConfig(
    ActorBackend backend,
    @Nullable String address,
    @Nullable Path rayJar,
    List<String> workerJvmOptions,
    boolean roundTripMessages) {
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._\\-]+:[0-9]{1,5}");

  public ClusterConfig {
    Objects.requireNonNull(backend, "backend");
    workerJvmOptions = List.copyOf(workerJvmOptions);
    if (backend == ActorBackend.RAY && address == null) {
      throw new IllegalArgumentException(
          "address is required when backend is ray: start a Ray head with scripts/ray-cluster start"
              + " and set cluster.address to the host:port it prints, e.g. 127.0.0.1:6379");
    }
    if (address != null && !validAddress(address)) {
      throw new IllegalArgumentException(
          "address '"
              + address
              + "' is not host:port with a port in 1-65535; write it as scripts/ray-cluster start"
              + " prints it, e.g. 127.0.0.1:6379");
    }
    for (String option : workerJvmOptions) {
      if (!option.startsWith("-")) {
        throw new IllegalArgumentException(
            "worker_jvm_options holds '"
                + option
                + "', which is not a JVM flag; write each flag as one item, e.g. [-Xmx16g]");
      }
    }
  }

  /** The in-process backend without message round trips: what {@code defaults.yaml} says. */
  public static ClusterConfig inProcess() {
    return new ClusterConfig(ActorBackend.IN_PROCESS, null, null, List.of(), false);
  }

  private static boolean validAddress(String address) {
    if (!HOST_PORT.matcher(address).matches()) {
      return false;
    }
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    return port >= 1 && port <= 65535;
  }
}
