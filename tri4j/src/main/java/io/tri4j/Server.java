package io.tri4j;

import io.tri4j.internal.TransportStats;
import io.tri4j.internal.call.CallExecutors;
import io.tri4j.internal.call.MethodRegistry;
import io.tri4j.internal.call.ServerMethod;
import io.tri4j.internal.call.ShutdownNotice;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.tls.SslContextSource;
import io.tri4j.internal.transport.NettyServer;
import io.tri4j.internal.transport.SocketTransport;
import io.tri4j.registry.Endpoint;
import io.tri4j.registry.Registry;
import io.tri4j.registry.RegistryFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Triple server: serves the services of its {@link ServiceConfig}s over HTTP/2, to tri4j, gRPC
 * and Dubbo clients alike, as in dubbo-python's {@code dubbo.Server(service_config).start()}.
 *
 * <pre>{@code
 * try (Server server = new Server(new ServiceConfig(greeter).withPort(50051)).start()) {
 *   server.awaitTermination();
 * }
 * }</pre>
 *
 * <p>What is the same for all its services and ports (its executor, registry, server-wide
 * interceptors and connection limits) is in its {@link ServerOptions}: {@link
 * ServerOptions#defaults()} unless given.
 *
 * <pre>{@code
 * Server server =
 *     new Server(ServerOptions.defaults().withRegistry(registry), greeterConfig, echoConfig);
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 *
 * {@link #start()} binds every port and returns. {@link #shutdown()} stops accepting connections
 * and tells clients to go elsewhere (HTTP/2 GOAWAY), while calls already running finish within the
 * {@linkplain ServerOptions#withShutdownGracePeriod grace period} ({@link #DEFAULT_GRACE_PERIOD}
 * unless set); those still running then are cancelled, and their clients see {@code UNAVAILABLE}.
 * {@link #shutdownNow()} cancels them at once. {@link #close()} shuts down and returns once the
 * server has terminated. The server's threads are daemon threads: a program that only serves calls
 * {@link #awaitTermination()} from its main thread.
 *
 * <p>Handlers hear of the shutdown through {@link ServerContext#addShutdownListener}, and code
 * around the server (a health service going {@code NOT_SERVING}) through {@link
 * #addShutdownListener}.
 */
public final class Server implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Server.class);

  /** How long a shutdown lets running calls finish, unless the options say otherwise. */
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(30);

  /** What the clients and handlers of calls cancelled by a shutdown see. */
  private static final Status SHUT_DOWN =
      Status.UNAVAILABLE.withDescription("The server shut down before the call ended");

  private final ServerOptions options;
  private final List<ServiceConfig> configs;
  private final TransportStats stats = new TransportStats();
  private final ShutdownNotice shutdownNotice = new ShutdownNotice();
  private boolean draining;
  private List<ExecutorService> ownExecutors = List.of();
  private NettyServer transport;
  private boolean started;
  private volatile Registry registry;

  /** Addresses and services, for the start and stop lines of the log. */
  private volatile String description;

  private final List<Runnable> registrations = new ArrayList<>();
  private final Map<ServiceConfig, Integer> listenerIndex = new java.util.IdentityHashMap<>();

  /** A server of {@code serviceConfigs} with {@link ServerOptions#defaults()}. */
  public Server(ServiceConfig... serviceConfigs) {
    this(ServerOptions.defaults(), List.of(serviceConfigs));
  }

  /** A server of {@code serviceConfigs} with {@link ServerOptions#defaults()}. */
  public Server(List<ServiceConfig> serviceConfigs) {
    this(ServerOptions.defaults(), serviceConfigs);
  }

  /** A server of {@code serviceConfigs} with {@code options}. */
  public Server(ServerOptions options, ServiceConfig... serviceConfigs) {
    this(options, List.of(serviceConfigs));
  }

  /**
   * A server of {@code serviceConfigs} with {@code options}.
   *
   * @throws IllegalArgumentException if {@code serviceConfigs} is empty
   */
  public Server(ServerOptions options, List<ServiceConfig> serviceConfigs) {
    this.options = Objects.requireNonNull(options, "options");
    if (serviceConfigs.isEmpty()) {
      throw new IllegalArgumentException("A server needs at least one ServiceConfig");
    }
    this.configs = List.copyOf(serviceConfigs);
  }

  /**
   * Binds every port and starts serving.
   *
   * @return this server
   * @throws java.io.UncheckedIOException if a port cannot be bound
   * @throws IllegalStateException if already started
   * @throws IllegalArgumentException if two configs on one port name the same service
   */
  public synchronized Server start() {
    if (started) {
      throw new IllegalStateException("Server already started");
    }
    started = true;
    // Read first: unreadable key files fail the start before any thread or port is taken.
    SslContextSource tls =
        options.tls() == null ? null : SslContextSource.start(options.tls().settings());
    Executor executor = options.executor();
    Executor asyncExecutor = options.executor();
    if (executor == null) {
      ExecutorService blocking = CallExecutors.newBlockingExecutor("tri4j-handler");
      ExecutorService async = CallExecutors.newCallbackExecutor("tri4j-async-handler");
      ownExecutors = List.of(blocking, async);
      executor = blocking;
      asyncExecutor = async;
    }
    record ListenerKey(String inMemoryName, String host, int port) {}
    Map<ListenerKey, List<ServiceConfig>> byAddress = new LinkedHashMap<>();
    for (ServiceConfig config : configs) {
      ListenerKey key =
          config.inMemoryName() != null
              ? new ListenerKey(config.inMemoryName(), null, 0)
              : new ListenerKey(null, config.host(), config.port());
      byAddress.computeIfAbsent(key, k -> new ArrayList<>()).add(config);
    }
    try {
      if (options.registry() != null) {
        // Opened before any port is bound: an unreachable registry fails the start with no port
        // taken, and the services the registry needs served are added to each port.
        registry = RegistryFactory.open(options.registry());
      }
      List<NettyServer.Listener> listeners = new ArrayList<>();
      for (List<ServiceConfig> group : byAddress.values()) {
        for (ServiceConfig config : group) {
          listenerIndex.put(config, listeners.size());
        }
        listeners.add(listener(group, executor, asyncExecutor, tls));
      }
      transport =
          new NettyServer(
              listeners,
              stats,
              options.maxConcurrentCalls(),
              () -> {
                if (tls != null) {
                  tls.close();
                }
                ownExecutors.forEach(ExecutorService::shutdown);
                if (registry != null) {
                  registry.close();
                }
                log.info("tri4j server stopped: {}", description);
              });
    } catch (RuntimeException e) {
      if (tls != null) {
        tls.close();
      }
      ownExecutors.forEach(ExecutorService::shutdownNow);
      if (registry != null) {
        registry.close();
      }
      throw e;
    }
    if (registry != null) {
      try {
        registerAll();
      } catch (RuntimeException e) {
        transport.shutdownNow(SHUT_DOWN, () -> {});
        throw e;
      }
    }
    description = describe(byAddress.values());
    log.info("tri4j server started: {}", description);
    return this;
  }

  /** Per listener: its bound address, how it is reached, and its services (for the log). */
  private String describe(Collection<List<ServiceConfig>> groups) {
    List<SocketAddress> bound = transport.boundAddresses();
    StringJoiner listeners = new StringJoiner("; ");
    int i = 0;
    for (List<ServiceConfig> group : groups) {
      StringJoiner services = new StringJoiner(", ");
      for (ServiceConfig config : group) {
        services.add(
            config.serviceHandler().serviceName()
                + (config.version() == null ? "" : " version " + config.version())
                + (config.group() == null ? "" : " group " + config.group()));
      }
      ServiceConfig first = group.get(0);
      listeners.add(
          (first.inMemoryName() != null
                  ? "in memory as '" + first.inMemoryName() + "'"
                  : "TCP " + hostAndPort(bound.get(i)))
              + " serving "
              + services);
      i++;
    }
    return listeners.toString();
  }

  private static String hostAndPort(SocketAddress address) {
    return address instanceof InetSocketAddress inet
        ? inet.getAddress().getHostAddress() + ":" + inet.getPort()
        : address.toString();
  }

  /** One port's listener: its services, and those the registry needs served there. */
  private NettyServer.Listener listener(
      List<ServiceConfig> group, Executor executor, Executor asyncExecutor, SslContextSource tls) {
    MethodRegistry methods =
        new MethodRegistry(
            executor,
            asyncExecutor,
            options.interceptors(),
            stats,
            shutdownNotice,
            options.exceptionDetails());
    for (ServiceConfig config : group) {
      if (methods.hasService(
          config.serviceHandler().serviceName(), config.version(), config.group())) {
        throw new IllegalArgumentException(
            "Service "
                + config.serviceHandler().serviceName()
                + (config.version() == null ? "" : " version " + config.version())
                + (config.group() == null ? "" : " group " + config.group())
                + " is configured twice on one port");
      }
      add(methods, config);
    }
    ServiceConfig first = group.get(0);
    boolean inMemory = first.inMemoryName() != null;
    if (registry != null && !inMemory) {
      for (ServiceConfig own : registry.services()) {
        // The application's own service of that name, version and group wins.
        if (!methods.hasService(own.serviceHandler().serviceName(), own.version(), own.group())) {
          add(methods, own);
        }
      }
    }
    return new NettyServer.Listener(
        inMemory
            ? NettyServer.inMemoryAddress(first.inMemoryName())
            : new InetSocketAddress(first.host(), first.port()),
        methods,
        options.maxInboundMessageSize(),
        options.maxHeaderListSize(),
        options.maxConcurrentStreams(),
        options.clock(),
        inMemory ? null : tls,
        options.keepAlive(),
        null,
        options.maxDeadlineNanos(),
        options.staticResourceFiles(),
        List.copyOf(options.corsAllowedOrigins()));
  }

  private static void add(MethodRegistry methods, ServiceConfig config) {
    RpcServiceHandler service = config.serviceHandler();
    service
        .methodHandlers()
        .forEach(
            (name, handler) ->
                methods.add(
                    service.serviceName(),
                    config.version(),
                    config.group(),
                    name,
                    toServerMethod(
                        handler,
                        Compression.forEncoding(config.compression()),
                        config.interceptors())));
  }

  private static <Q, R> ServerMethod<Q, R> toServerMethod(
      RpcMethodHandler<Q, R> handler,
      Compression responseCompression,
      List<ServerInterceptor> interceptors) {
    return new ServerMethod<>(
        handler.type(),
        handler.requestDeserializer(),
        handler.responseSerializer(),
        handler.streamHandler(),
        handler.asyncHandler(),
        responseCompression,
        interceptors,
        handler.hasNoSideEffects());
  }

  /**
   * The port of the first config, as bound (useful with port 0).
   *
   * @throws IllegalStateException if not started, or if the first config is served in memory
   */
  public synchronized int port() {
    if (transport == null) {
      throw new IllegalStateException("Server not started");
    }
    if (!(transport.boundAddresses().get(0) instanceof InetSocketAddress first)) {
      throw new IllegalStateException("The first service is served in memory: it has no port");
    }
    return first.getPort();
  }

  /** The socket I/O of the TCP ports (io_uring, epoll or NIO): for tests. */
  synchronized SocketTransport socketTransport() {
    if (transport == null) {
      throw new IllegalStateException("Server not started");
    }
    return transport.socketTransport();
  }

  /**
   * The bound addresses, one per distinct host and port, in the order of the configs; services
   * served in memory have none.
   */
  public synchronized List<InetSocketAddress> addresses() {
    if (transport == null) {
      throw new IllegalStateException("Server not started");
    }
    List<InetSocketAddress> inet = new ArrayList<>();
    for (SocketAddress a : transport.boundAddresses()) {
      if (a instanceof InetSocketAddress i) {
        inet.add(i);
      }
    }
    return inet;
  }

  /**
   * Runs {@code listener} once when the server begins to shut down ({@link #shutdown()}, {@link
   * #shutdownNow()} or {@link #close()}), on the thread that shuts it down, before clients are told
   * to go elsewhere: a health service goes {@code NOT_SERVING} there. Runs at once, on this thread,
   * if the server is already shutting down.
   */
  public void addShutdownListener(Runnable listener) {
    shutdownNotice.addListener(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Stops accepting calls: tells the shutdown listeners and the handlers that listen ({@link
   * ServerContext#addShutdownListener}), and clients to go elsewhere. Running calls may finish
   * within the {@linkplain ServerOptions#withShutdownGracePeriod grace period}; those still running
   * then are cancelled. Returns at once; idempotent.
   */
  public synchronized void shutdown() {
    shutdownNotice.give();
    if (transport != null) {
      unregisterAll(); // consumers stop picking this server before it drains
      transport.shutdown(); // the executor shuts down once the connections are closed
      if (!draining) {
        draining = true;
        cancelAfterGracePeriod();
      }
    }
  }

  /** Once the grace period has passed, cancels what still runs. */
  private void cancelAfterGracePeriod() {
    Thread bound =
        new Thread(
            () -> {
              try {
                if (!awaitTermination(options.shutdownGracePeriod())) {
                  shutdownNow();
                }
              } catch (InterruptedException e) {
                shutdownNow();
              }
            },
            "tri4j-server-drain");
    bound.setDaemon(true);
    bound.start();
  }

  private void unregisterAll() {
    for (Runnable unregister : registrations) {
      try {
        unregister.run();
      } catch (RuntimeException e) {
        // The registry may be gone; its session's nodes go with it.
      }
    }
    registrations.clear();
  }

  /** Registers every service with the address its listener is bound to. */
  private void registerAll() {
    RegistryConfig registryConfig = options.registry();
    List<SocketAddress> bound = transport.boundAddresses();
    for (ServiceConfig config : configs) {
      if (!(bound.get(listenerIndex.get(config)) instanceof InetSocketAddress address)) {
        continue; // served in memory: nothing another process could dial
      }
      Map<String, String> parameters = new LinkedHashMap<>();
      // The parameters a Dubbo 3.3 provider writes, but for its "release" (tri4j is not a Dubbo
      // release). With "timestamp", a Dubbo consumer warms a new provider up over ten minutes,
      // exactly as it does a new Dubbo provider.
      parameters.put("application", registryConfig.parameter("application", "tri4j"));
      parameters.put("deprecated", "false");
      parameters.put("dubbo", "2.0.2");
      parameters.put("dynamic", "true");
      parameters.put("generic", "false");
      parameters.put("timestamp", Long.toString(System.currentTimeMillis()));
      parameters.put("interface", config.serviceHandler().serviceName());
      parameters.put(
          "methods", String.join(",", config.serviceHandler().methodHandlers().keySet()));
      parameters.put("side", "provider");
      if (options.tls() != null) {
        parameters.put("ssl-enabled", "true"); // as a Dubbo provider with TLS writes it
      }
      parameters.put("weight", registryConfig.parameter("weight", "100"));
      if (config.version() != null) {
        parameters.put("version", config.version());
      }
      if (config.group() != null) {
        parameters.put("group", config.group());
      }
      Endpoint endpoint = new Endpoint(advertisedHost(address), address.getPort(), parameters);
      String service = config.serviceHandler().serviceName();
      registry.register(service, endpoint);
      registrations.add(() -> registry.unregister(service, endpoint));
    }
  }

  /** The host clients should dial: the bound one, or a non-loopback address for a wildcard. */
  private static String advertisedHost(InetSocketAddress bound) {
    if (!bound.getAddress().isAnyLocalAddress()) {
      return bound.getAddress().getHostAddress();
    }
    try {
      for (java.net.NetworkInterface nic :
          java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) {
          continue;
        }
        for (java.net.InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
          if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress()) {
            return a.getHostAddress();
          }
        }
      }
    } catch (java.net.SocketException e) {
      // fall back to loopback
    }
    return "127.0.0.1";
  }

  /**
   * Stops accepting calls and cancels the running ones: their clients see {@code UNAVAILABLE}.
   * Idempotent.
   */
  public synchronized void shutdownNow() {
    shutdownNotice.give();
    if (transport != null) {
      unregisterAll();
      List<ExecutorService> own = ownExecutors;
      // Handler threads are interrupted once their calls know why they end.
      transport.shutdownNow(SHUT_DOWN, () -> own.forEach(ExecutorService::shutdownNow));
    }
  }

  /** Waits until the server has shut down and its connections are closed. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    NettyServer t;
    synchronized (this) {
      t = transport;
    }
    if (t == null) {
      return true;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!t.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    for (ExecutorService own : ownExecutors) {
      if (!own.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        return false;
      }
    }
    return true;
  }

  /** Waits, without a time limit, until the server has shut down. */
  public void awaitTermination() throws InterruptedException {
    while (!awaitTermination(Duration.ofDays(1))) {
      // keep waiting
    }
  }

  /** Whether the server has shut down and its connections and own threads are gone. */
  public synchronized boolean isTerminated() {
    return transport == null
        || (transport.isTerminated()
            && ownExecutors.stream().allMatch(ExecutorService::isTerminated));
  }

  /**
   * Shuts down gracefully ({@link #shutdown()}): running calls get the grace period to finish, then
   * are cancelled. Returns once the server has terminated.
   */
  @Override
  public void close() {
    shutdown();
    try {
      if (!awaitTermination(options.shutdownGracePeriod().plusSeconds(10))) {
        shutdownNow(); // a handler that ignores its cancellation: interrupted
        awaitTermination(Duration.ofSeconds(10));
      }
    } catch (InterruptedException e) {
      shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Connections open now, on every address (TCP and in memory): for a metrics gauge. 0 before
   * {@link #start()}.
   */
  public synchronized int openConnections() {
    return transport == null ? 0 : transport.openConnections();
  }

  /**
   * Bytes of messages held in tri4j's own buffers now, over all calls: received but not yet read by
   * handlers, and written by them but not yet handed to the socket. For a metrics gauge: flow
   * control keeps it small unless handlers fall behind.
   */
  public long bytesHeld() {
    return stats.bytesHeld();
  }

  /** This server's transport statistics, over all its listeners and calls. */
  TransportStats transportStats() {
    return stats;
  }

  @Override
  public synchronized String toString() {
    return transport == null ? "Server[not started]" : "Server" + transport.boundAddresses();
  }
}
