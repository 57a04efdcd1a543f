package io.tri4j;

import io.tri4j.internal.TransportStats;
import io.tri4j.internal.call.CallTarget;
import io.tri4j.internal.call.ClientCalls;
import io.tri4j.internal.call.ClientTransport;
import io.tri4j.internal.call.DubboHeaders;
import io.tri4j.internal.call.RetryingClientTransport;
import io.tri4j.internal.cluster.ClusterTransport;
import io.tri4j.internal.tls.TlsSettings;
import io.tri4j.internal.transport.ConnectionPool;
import io.tri4j.registry.LoadBalancer;
import io.tri4j.registry.Registry;
import io.tri4j.registry.RegistryFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * A Triple client for one remote service, as in dubbo-python's {@code
 * dubbo.Client(reference_config)}. It makes typed callables for the service's methods, one per call
 * style:
 *
 * <pre>{@code
 * try (Client client = new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:50051/org.apache.dubbo.samples.proto.Greeter"))) {
 *   UnaryCallable<GreeterRequest, GreeterReply> greet =
 *       client.unary("greet", GreeterRequest::toByteArray, GreeterReply::parseFrom);
 *   GreeterReply reply = greet.call(GreeterRequest.newBuilder().setName("world").build());
 * }
 * }</pre>
 *
 * <h2>Clients should be shared</h2>
 *
 * A client holds one HTTP/2 connection and one network thread, and carries any number of concurrent
 * calls, from any number of threads, over that connection. Make one per target and reuse it;
 * callables are cheap and may be made up front. The connection is opened on the first call, and
 * opened again if it is lost; a call that cannot connect fails with {@code UNAVAILABLE}. Clients
 * made with the same {@link ClientResources} share connections (one per address) and threads.
 *
 * <h2>Closing</h2>
 *
 * {@link #close()} lets calls still running finish for a few seconds, then fails them with {@code
 * UNAVAILABLE}, and frees the thread; on shared resources it releases its connections, which close
 * once no client uses them. Calls made after it fail with {@code UNAVAILABLE}.
 */
public final class Client implements AutoCloseable {
  private final ReferenceConfig config;
  private final ClientResources ownResources;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final CallTarget target;
  private final TransportStats stats = new TransportStats();

  /**
   * A client for the service of {@code config}, with the call defaults of its URL parameters
   * (checked when the {@link ReferenceConfig} was made): {@code timeout}, the default timeout of
   * every call; {@code compression}, the default request compression; {@code serialization}, {@code
   * protobuf} or {@code json} (pair it with JSON serializer functions such as {@link
   * Protobuf#jsonSerializer()}); {@code protocol}, {@code grpc} (the default), {@code grpc-web} or
   * {@code connect}; {@code version}, {@code group} and {@code application}, sent as Dubbo's {@code
   * tri-service-version}, {@code tri-service-group} and {@code tri-consumer-appname} headers.
   *
   * @throws IllegalArgumentException if {@code config} names no host (and is not in memory)
   */
  public Client(ReferenceConfig config) {
    this(config, null, null, null);
  }

  /**
   * As {@link #Client(ReferenceConfig)}, with the executor that runs async callbacks and writes
   * request iterators of bidi calls. The client does not shut it down. With {@code null}, the
   * client makes its own: a virtual thread per task on JDK 21+; on JDK 17, a bounded pool of
   * threads for request iterators and a work-stealing pool of one thread per core for callbacks,
   * which should then not block (waiting on a {@code CompletableFuture} is fine: the pool lends a
   * spare thread meanwhile).
   */
  public Client(ReferenceConfig config, Executor executor) {
    this(config, null, null, executor);
  }

  /**
   * As {@link #Client(ReferenceConfig)}, on shared {@code resources}: connections to the same
   * address are shared with the other clients made with them, and so are threads. Closing the
   * client releases its connections; the resources stay open.
   *
   * @throws IllegalStateException if the resources are closed
   */
  public Client(ReferenceConfig config, ClientResources resources) {
    this(config, null, Objects.requireNonNull(resources, "resources"), null);
  }

  /**
   * A client that finds the providers of {@code config}'s service in a registry, as in
   * dubbo-python's registry sample: {@code config} names the service ({@code
   * tri:///package.Service}, no host), and calls spread over the providers listed under it, with
   * the same {@code version} and {@code group}. Parameters of either URL (the reference's win):
   * {@code loadbalance} ({@code random}, {@code roundrobin}, {@code leastactive}, {@code p2c});
   * {@code cluster} ({@code failover}, the default: a unary call that a provider could not take is
   * tried on another, {@code retries} times, default 2; or {@code failfast}). With no provider
   * listed, calls fail with {@code UNAVAILABLE} naming the service and the registry.
   *
   * @throws IllegalArgumentException if no registry for the URL's scheme is on the class path, or a
   *     parameter is invalid
   */
  public Client(ReferenceConfig config, RegistryConfig registry) {
    this(config, Objects.requireNonNull(registry, "registry"), null, null);
  }

  /**
   * As {@link #Client(ReferenceConfig, RegistryConfig)}, on shared {@code resources}: the providers
   * are reached over connections and threads shared with the other clients made with them.
   */
  public Client(ReferenceConfig config, RegistryConfig registry, ClientResources resources) {
    this(
        config,
        Objects.requireNonNull(registry, "registry"),
        Objects.requireNonNull(resources, "resources"),
        null);
  }

  private Client(
      ReferenceConfig config,
      RegistryConfig registryConfig,
      ClientResources shared,
      Executor executor) {
    this.config = Objects.requireNonNull(config, "config");
    if (registryConfig == null && config.inMemoryName() == null && config.host() == null) {
      throw new IllegalArgumentException(
          "The URL " + config + " names no host: give the client a RegistryConfig");
    }
    if (registryConfig != null && config.inMemoryName() != null) {
      throw new IllegalArgumentException(
          "An in-memory reference (" + config + ") is not looked up in a registry");
    }
    // The reference's loadbalance, cluster and retries win over the registry URL's.
    ReferenceConfig effective =
        registryConfig == null ? config : config.withRegistryDefaults(registryConfig);
    LoadBalancer balancer =
        registryConfig == null ? null : LoadBalancer.named(effective.loadbalance());
    Map<String, String> dubboHeaders =
        DubboHeaders.of(config.version(), config.group(), config.application());
    boolean json = config.serialization() == ReferenceConfig.Serialization.JSON;
    TlsSettings tls = !config.tlsEnabled() ? null : tlsOf(config);

    this.ownResources =
        shared != null
            ? null
            : ClientResources.forOneClient(
                registryConfig == null ? 1 : Runtime.getRuntime().availableProcessors(), executor);
    ClientResources res = shared != null ? shared : ownResources;
    ConnectionPool pool = res.pool();
    try {
      ClientTransport transport;
      int retries = 0;
      if (registryConfig == null) {
        ConnectionPool.Lease direct =
            config.inMemoryName() != null
                ? pool.inMemory(
                    config.inMemoryName(),
                    config.connectTimeout(),
                    config.clientKeepAlive(),
                    dubboHeaders,
                    json,
                    config.wireProtocol(),
                    config.maxInboundMessageSize(),
                    stats)
                : pool.tcp(
                    config.host(),
                    config.port(),
                    config.connectTimeout(),
                    tls,
                    config.clientKeepAlive(),
                    dubboHeaders,
                    json,
                    config.wireProtocol(),
                    config.maxInboundMessageSize(),
                    stats);
        resources.add(direct);
        transport = direct;
      } else {
        retries =
            effective.cluster() == ReferenceConfig.Cluster.FAILFAST
                ? 0
                : Objects.requireNonNullElse(effective.retries(), 2);
        ClusterTransport cluster =
            new ClusterTransport(
                // Not the whole URL: its parameters may hold a password.
                config.service()
                    + " in registry "
                    + registryConfig.scheme()
                    + "://"
                    + registryConfig.address(),
                balancer,
                endpoint ->
                    pool.tcp(
                        endpoint.host(),
                        endpoint.port(),
                        config.connectTimeout(),
                        // A provider registered with TLS is reached with TLS.
                        tls == null && "true".equals(endpoint.parameters().get("ssl-enabled"))
                            ? tlsOf(config)
                            : tls,
                        config.clientKeepAlive(),
                        dubboHeaders,
                        json,
                        config.wireProtocol(),
                        config.maxInboundMessageSize(),
                        stats));
        resources.add(cluster);
        Registry registry = RegistryFactory.open(registryConfig);
        resources.add(registry);
        String version = config.version();
        String group = config.group();
        resources.add(
            registry.subscribe(
                config.service(),
                providers ->
                    cluster.update(
                        providers.stream()
                            .filter(
                                e ->
                                    Objects.equals(
                                            emptyToNull(e.parameters().get("version")), version)
                                        && Objects.equals(
                                            emptyToNull(e.parameters().get("group")), group))
                            .toList())));
        transport = cluster;
      }
      this.target =
          new CallTarget(
              new RetryingClientTransport(transport, retries, res.blockingExecutor()),
              config.timeout(),
              res.blockingExecutor(),
              res.callbackExecutor(),
              config.compression(),
              config.interceptors(),
              res.clock(),
              stats);
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /** The reference's TLS settings, or the defaults where it has none. */
  private static TlsSettings tlsOf(ReferenceConfig config) {
    return (config.tls() != null ? config.tls() : ClientTls.defaults()).settings();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** The reference this client was made with: its service, address and settings. */
  public ReferenceConfig config() {
    return config;
  }

  /** A unary method of the service: {@code call(request)} returns the response. */
  public <Q, R> UnaryCallable<Q, R> unary(
      String methodName, Serializer<Q> requestSerializer, Deserializer<R> responseDeserializer) {
    return ClientCalls.unary(
        target, method(methodName, MethodType.UNARY), requestSerializer, responseDeserializer);
  }

  /** A client-streaming method: requests from an iterator, or written into a stream. */
  public <Q, R> ClientStreamCallable<Q, R> clientStream(
      String methodName, Serializer<Q> requestSerializer, Deserializer<R> responseDeserializer) {
    return ClientCalls.clientStream(
        target,
        method(methodName, MethodType.CLIENT_STREAMING),
        requestSerializer,
        responseDeserializer);
  }

  /** A server-streaming method: {@code call(request)} returns a {@link ReadStream}. */
  public <Q, R> ServerStreamCallable<Q, R> serverStream(
      String methodName, Serializer<Q> requestSerializer, Deserializer<R> responseDeserializer) {
    return ClientCalls.serverStream(
        target,
        method(methodName, MethodType.SERVER_STREAMING),
        requestSerializer,
        responseDeserializer);
  }

  /** A bidirectional-streaming method, as dubbo-python's {@code client.bidi_stream(...)}. */
  public <Q, R> BidiStreamCallable<Q, R> bidiStream(
      String methodName, Serializer<Q> requestSerializer, Deserializer<R> responseDeserializer) {
    return ClientCalls.bidiStream(
        target,
        method(methodName, MethodType.BIDI_STREAMING),
        requestSerializer,
        responseDeserializer);
  }

  private MethodInfo method(String methodName, MethodType type) {
    Objects.requireNonNull(methodName, "methodName");
    if (methodName.isEmpty() || methodName.indexOf('/') >= 0) {
      throw new IllegalArgumentException("Invalid method name: '" + methodName + "'");
    }
    return new MethodInfo(config.service(), methodName, type);
  }

  /** Closes the connection (see the class comment) and frees its thread. Idempotent. */
  @Override
  public void close() {
    // Last made, first closed: the subscription before the registry and the providers.
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        // Closing is best effort: the rest still gets closed.
      }
    }
    if (ownResources != null) {
      ownResources.close(); // after the client's hold on its connections
    }
  }

  /**
   * Bytes of messages held in tri4j's own buffers now, over this client's calls: received but not
   * yet read by the application, and written but not yet handed to the socket. For a metrics gauge.
   */
  public long bytesHeld() {
    return stats.bytesHeld();
  }

  /** This client's transport statistics: its calls, over whichever connections they use. */
  TransportStats transportStats() {
    return stats;
  }

  @Override
  public String toString() {
    return "Client[" + config + "]";
  }
}
