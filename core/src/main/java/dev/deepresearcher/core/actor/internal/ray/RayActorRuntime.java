package dev.deepresearcher.core.actor.internal.ray;

import dev.deepresearcher.core.actor.ActorException;
import dev.deepresearcher.core.actor.ActorGroup;
import dev.deepresearcher.core.actor.ActorOptions;
import dev.deepresearcher.core.actor.ActorRef;
import dev.deepresearcher.core.actor.ActorRuntime;
import dev.deepresearcher.core.actor.ActorSpec;
import dev.deepresearcher.core.actor.internal.ActorConstructors;
import dev.deepresearcher.core.actor.internal.GroupSpecs;
import dev.deepresearcher.core.actor.internal.MessageCodec;
import dev.deepresearcher.core.actor.internal.ray.HostReply.Failure;
import dev.deepresearcher.core.config.ClusterConfig;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ray backend: this JVM becomes a Ray driver of the cluster at {@code cluster.address}; each
 * actor is a {@link RayActorHost} in a worker JVM, placed by Ray by its resources and restarted by
 * Ray up to its max restarts. Ray allows one driver per process, so one runtime may be open per JVM
 * at a time.
 */
public final class RayActorRuntime implements ActorRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(RayActorRuntime.class);
  private static final String BRIDGE = RayClassLoader.BRIDGE_PACKAGE + "RayBridgeImpl";
  private static final AtomicBoolean OPEN = new AtomicBoolean();
  private static final Map<Path, ClassLoader> LOADERS = new ConcurrentHashMap<>();

  /** How long an actor may take to be placed and constructed (a 7B model loads for minutes). */
  static final Duration START_TIMEOUT = Duration.ofMinutes(15);

  /** How long close() lets actors finish their calls and close. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

  private final ClusterConfig config;
  private final ClassLoader rayLoader;
  private final RayBridge bridge;
  private final Map<String, String> previousProperties = new LinkedHashMap<>();
  private final List<RayActorRef<?>> actors = new ArrayList<>();
  private volatile boolean closed;

  private RayActorRuntime(ClusterConfig config, ClassLoader rayLoader, RayBridge bridge) {
    this.config = config;
    this.rayLoader = rayLoader;
    this.bridge = bridge;
  }

  /**
   * Connects this JVM to the cluster as a driver.
   *
   * @throws ActorException when Ray's runtime is not found, the head does not answer, the workers'
   *     Java is too old, or a Ray runtime is open in this JVM already
   */
  public static RayActorRuntime connect(ClusterConfig config) {
    if (config.address() == null) {
      throw new ActorException(
          "cluster.address is not set; the ray backend needs the head's host:port (scripts/ray-cluster"
              + " start prints it)");
    }
    if (!OPEN.compareAndSet(false, true)) {
      throw new ActorException(
          "a Ray runtime is open in this JVM already, and Ray allows one driver per process; close"
              + " it before connecting again, or share it");
    }
    try {
      RayActorRuntime runtime = open(config);
      runtime.init();
      return runtime;
    } catch (RuntimeException | Error e) {
      OPEN.set(false);
      throw e;
    }
  }

  private static RayActorRuntime open(ClusterConfig config) {
    ClassLoader app = RayActorRuntime.class.getClassLoader();
    ClassLoader loader =
        config.rayJar() == null && RaySetup.runtimeOnClasspath(app)
            ? app
            : LOADERS.computeIfAbsent(RaySetup.rayJar(config), jar -> new RayClassLoader(jar, app));
    try {
      RayBridge bridge =
          (RayBridge) Class.forName(BRIDGE, true, loader).getConstructor().newInstance();
      return new RayActorRuntime(config, loader, bridge);
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new ActorException(
          "cannot load Ray's Java runtime from "
              + (loader == app ? "the classpath" : "cluster.ray_jar / the scripts/ray-cluster venv")
              + ": "
              + e
              + "; it must be ray_dist.jar of a ray 2.x Python package",
          e);
    }
  }

  private void init() {
    String address = config.address();
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    checkReachable(address, port);
    WorkerJava workers = WorkerJava.ofLocalRaylet(port).orElse(null);
    if (workers != null && workers.feature() < 21) {
      throw new ActorException(
          "the Ray workers on this machine would run Java "
              + workers.feature()
              + " ("
              + workers.java()
              + ", the java on PATH when `ray start` ran), but this project needs Java 21+;"
              + " restart the cluster with scripts/ray-cluster stop; scripts/ray-cluster start,"
              + " which puts a JDK 21+ first on PATH");
    }
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("ray.address", address);
    properties.put(
        "ray.job.code-search-path",
        String.join(":", RaySetup.codeSearchPath(System.getProperty("java.class.path", ""))));
    List<String> jvm =
        RaySetup.workerJvmOptions(
            workers == null ? 0 : workers.feature(), config.workerJvmOptions());
    for (int i = 0; i < jvm.size(); i++) {
      properties.put("ray.job.jvm-options." + i, jvm.get(i));
    }
    properties.forEach(
        (k, v) -> previousProperties.put(k, System.setProperty(k, v))); // Ray reads them in init
    NativeCopies copies = NativeCopies.before();
    Thread.UncaughtExceptionHandler handler = Thread.getDefaultUncaughtExceptionHandler();
    try {
      withRay(
          b -> {
            b.init();
            return null;
          });
    } catch (RuntimeException e) {
      restoreProperties();
      throw new ActorException(
          "connecting to the Ray cluster at " + address + " failed: " + e + rootCause(e), e);
    } finally {
      // Ray.init installs a process-wide handler that logs to Ray's files; keep the caller's.
      Thread.setDefaultUncaughtExceptionHandler(handler);
      copies.deleteNew();
    }
    LOG.debug(
        "connected to Ray at {}; workers: {}; jvm options: {}",
        address,
        workers == null ? "Java unknown (remote head)" : workers,
        jvm);
  }

  private static void checkReachable(String address, int port) {
    String host = address.substring(0, address.lastIndexOf(':'));
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 5000);
    } catch (IOException e) {
      throw new ActorException(
          "no Ray head answers at "
              + address
              + " ("
              + e.getMessage()
              + "); start one with scripts/ray-cluster start, or fix cluster.address");
    }
  }

  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? "" : " (" + root + ")";
  }

  @Override
  public String backend() {
    return "ray";
  }

  @Override
  public <A> ActorRef<A> create(ActorSpec<A> spec) {
    return start(List.of(spec)).get(0);
  }

  /** Starts the members together: their worker JVMs start in parallel. */
  @Override
  public <A> ActorGroup<A> createGroup(ActorSpec<A> spec, int n) {
    return new ActorGroup<>(start(GroupSpecs.of(spec, n)));
  }

  private <A> List<ActorRef<A>> start(List<ActorSpec<A>> specs) {
    if (closed) {
      throw new ActorException("the actor runtime is closed; create actors before close()");
    }
    List<Object> handles = new ArrayList<>();
    List<Object> readies = new ArrayList<>();
    for (ActorSpec<A> spec : specs) {
      Map<String, Double> resources = resources(spec.options());
      Constructor<?> constructor = ActorConstructors.find(spec.type(), spec.init());
      byte[] init = encodeInit(spec);
      Object handle =
          withRay(
              b ->
                  b.createActor(
                      spec.type().getName(),
                      ActorConstructors.paramName(constructor),
                      init,
                      resources,
                      spec.options().maxRestarts()));
      handles.add(handle);
      readies.add(withRay(b -> b.ready(handle)));
    }
    List<ActorRef<A>> made = new ArrayList<>();
    ActorException failure = null;
    for (int i = 0; i < specs.size(); i++) {
      ActorSpec<A> spec = specs.get(i);
      try {
        long pid = awaitReady(spec, readies.get(i));
        LOG.debug("actor {} started in worker process {}", spec.options().name(), pid);
        made.add(
            new RayActorRef<>(
                this,
                spec.options().name(),
                spec.type(),
                handles.get(i),
                spec.options().maxRestarts()));
      } catch (ActorException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      for (Object handle : handles) {
        withRay(
            b -> {
              b.kill(handle);
              return null;
            });
      }
      for (ActorRef<A> ref : made) {
        ((RayActorRef<A>) ref).stop(1000);
      }
      throw failure;
    }
    synchronized (actors) {
      for (ActorRef<A> ref : made) {
        actors.add((RayActorRef<A>) ref);
      }
    }
    return List.copyOf(made);
  }

  private long awaitReady(ActorSpec<?> spec, Object ready) {
    String name = spec.options().name();
    byte[] reply;
    try {
      reply = bridge.get(ready, START_TIMEOUT.toMillis());
    } catch (RayBridgeException e) {
      throw switch (e.kind()) {
        case TIMEOUT ->
            new ActorException(
                "actor "
                    + name
                    + " did not start within "
                    + START_TIMEOUT.toMinutes()
                    + " minutes: the cluster may lack what it asks for ("
                    + resources(spec.options())
                    + "); `ray status` shows what the cluster has");
        case ACTOR_DIED ->
            new ActorException(
                "actor "
                    + name
                    + " died while starting (its worker JVM ended; its log under"
                    + " /tmp/ray/session_latest/logs says why). Ray: "
                    + e.getMessage());
        case OTHER -> new ActorException("actor " + name + ": Ray failed to start it: " + e, e);
      };
    }
    if (!HostReply.isOk(reply)) {
      Failure f = HostReply.failure(reply);
      throw new ActorException(
          "actor "
              + name
              + ": constructing "
              + spec.type().getName()
              + " failed: "
              + f.type()
              + (f.message() == null ? "" : ": " + f.message()),
          f.toException());
    }
    return (Long) HostReply.value(reply, MessageCodec.type(Long.class));
  }

  private static byte[] encodeInit(ActorSpec<?> spec) {
    if (spec.init() == null) {
      return new byte[0];
    }
    try {
      return MessageCodec.encode(spec.init());
    } catch (IllegalArgumentException e) {
      throw new ActorException(
          "actor " + spec.options().name() + ": the init message cannot cross: " + e.getMessage(),
          e);
    }
  }

  /** Ray's resources for the options: CPU always (0 allowed), GPU and memory when asked for. */
  static Map<String, Double> resources(ActorOptions options) {
    Map<String, Double> resources = new LinkedHashMap<>();
    resources.put("CPU", whole("cpus", options.cpus(), options.name()));
    if (options.gpus() > 0) {
      resources.put("GPU", whole("gpus", options.gpus(), options.name()));
    }
    if (options.memoryBytes() > 0) {
      resources.put("memory", (double) options.memoryBytes());
    }
    return resources;
  }

  private static double whole(String what, double value, String actor) {
    if (value > 1 && value != Math.rint(value)) {
      throw new ActorException(
          "actor "
              + actor
              + " asks for "
              + what
              + "="
              + value
              + ", but Ray takes fractions only below 1; ask for "
              + Math.floor(value)
              + " or "
              + Math.ceil(value));
    }
    return value;
  }

  /**
   * Closes the {@link AutoCloseable} actors after the calls already made, stops every actor,
   * disconnects from the cluster (which ends this job's actors) and frees this JVM for another
   * runtime. Idempotent.
   */
  @Override
  public void close() {
    List<RayActorRef<?>> toClose;
    synchronized (actors) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = List.copyOf(actors);
      actors.clear();
    }
    try {
      List<CompletableFuture<Object>> closing = new ArrayList<>();
      for (RayActorRef<?> actor : toClose) {
        closing.add(actor.closeInstance());
      }
      try {
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
            .get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        LOG.warn("some actors did not finish their calls and close within {}", CLOSE_TIMEOUT);
      } catch (ExecutionException e) {
        LOG.warn("closing an actor failed: {}", e.getCause().toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (RayActorRef<?> actor : toClose) {
        actor.stop(10_000);
      }
      if (toClose.stream().allMatch(RayActorRef::stopped)) {
        withRay(
            b -> {
              b.shutdown();
              return null;
            });
      } else {
        // Ray.shutdown under a thread blocked in Ray's native code can crash the JVM.
        LOG.warn("reply threads still wait on Ray after close; leaving the Ray driver connected");
      }
    } finally {
      restoreProperties();
      OPEN.set(false);
    }
  }

  boolean isClosed() {
    return closed;
  }

  RayBridge bridge() {
    return bridge;
  }

  ClassLoader rayLoader() {
    return rayLoader;
  }

  /**
   * Runs a Ray operation with Ray's class loader as the context loader: Ray finds its configuration
   * and logging set-up through it.
   */
  <T> T withRay(Function<RayBridge, T> operation) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(rayLoader);
    try {
      return operation.apply(bridge);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private void restoreProperties() {
    previousProperties.forEach(
        (k, v) -> {
          if (v == null) {
            System.clearProperty(k);
          } else {
            System.setProperty(k, v);
          }
        });
    previousProperties.clear();
  }
}
