package io.tri4j;

import io.tri4j.internal.call.CallClock;
import io.tri4j.internal.call.Deadline;
import io.tri4j.internal.transport.ServerKeepAlive;
import io.tri4j.internal.transport.StaticResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The settings of a whole {@link Server}: what is the same for every service it serves and every
 * port it listens on. They are
 *
 * <ul>
 *   <li>where handlers run ({@link #withExecutor});
 *   <li>the registry the services are published in ({@link #withRegistry});
 *   <li>the server-wide interceptors, around those of each service ({@link #withInterceptors});
 *   <li>the limits of every connection ({@link #withMaxInboundMessageSize}, {@link
 *       #withMaxHeaderListSize}, {@link #withMaxConcurrentStreams}) and of the server ({@link
 *       #withMaxConcurrentCalls});
 *   <li>TLS on every TCP port ({@link #withTls});
 *   <li>keepalive and the lifetime of connections ({@link #withKeepAliveTime}, {@link
 *       #withPermitKeepAliveTime}, {@link #withMaxConnectionIdle}, {@link #withMaxConnectionAge});
 *   <li>files from the class path served beside the calls, such as a browser client's page ({@link
 *       #withStaticResources}).
 *   <li>the longest a call may run ({@link #withMaxDeadline});
 *   <li>whether clients hear what exceptions server code threw, in development ({@link
 *       #withExceptionDetails}).
 * </ul>
 *
 * What belongs to one service (its handler, Dubbo version and group, response compression, its own
 * interceptors, and the host and port or in-memory name it is served on) is in its {@link
 * ServiceConfig}.
 *
 * <pre>{@code
 * ServerOptions options = ServerOptions.defaults()
 *     .withMaxInboundMessageSize(16 * 1024 * 1024)
 *     .withInterceptors(auth);
 * try (Server server = new Server(options, new ServiceConfig(greeter).withPort(50051)).start()) {
 *   server.awaitTermination();
 * }
 * }</pre>
 *
 * <p>A server made without options ({@code new Server(serviceConfig)}, as in dubbo-python) has
 * {@link #defaults()}.
 *
 * <p>Immutable: the {@code withX} methods return copies, and check their values.
 */
public final class ServerOptions {
  /** The largest request message accepted by default: 4 MiB, as in gRPC. */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 4 * 1024 * 1024;

  /** The largest request header list accepted by default: 8 KiB, as in gRPC. */
  public static final int DEFAULT_MAX_HEADER_LIST_SIZE = 8 * 1024;

  /**
   * The most calls on one connection by default (HTTP/2 {@code SETTINGS_MAX_CONCURRENT_STREAMS}):
   * 1500. gRPC clients multiplex every call of a channel on one connection (tri4j's own suite holds
   * over a thousand open there), so the bound is well above the 100 to 250 of web servers; it stays
   * below {@link #DEFAULT_MAX_CONCURRENT_CALLS} so that one connection cannot take every call.
   */
  public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 1500;

  /**
   * The most calls in progress over the whole server by default: 2000, below the 2048 threads of
   * the handler pool on JDK 17, so that every call let in finds a thread at once.
   */
  public static final int DEFAULT_MAX_CONCURRENT_CALLS = 2000;

  private static final ServerOptions DEFAULTS = defaultValues();

  private static ServerOptions defaultValues() {
    Values v = new Values();
    v.interceptors = List.of();
    v.maxInboundMessageSize = DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
    v.maxHeaderListSize = DEFAULT_MAX_HEADER_LIST_SIZE;
    v.maxConcurrentStreams = DEFAULT_MAX_CONCURRENT_STREAMS;
    v.maxConcurrentCalls = DEFAULT_MAX_CONCURRENT_CALLS;
    v.keepAlive = ServerKeepAlive.DEFAULTS;
    v.shutdownGracePeriod = Server.DEFAULT_GRACE_PERIOD;
    v.corsAllowedOrigins = List.of();
    v.maxDeadlineNanos = Deadline.NO_TIMEOUT;
    return new ServerOptions(v);
  }

  private final Executor executor;
  private final RegistryConfig registry;
  private final List<ServerInterceptor> interceptors;
  private final int maxInboundMessageSize;
  private final int maxHeaderListSize;
  private final int maxConcurrentStreams;
  private final int maxConcurrentCalls;
  private final ServerTls tls;

  private final CallClock clock;
  private final ServerKeepAlive keepAlive;
  private final Duration shutdownGracePeriod;
  private final StaticResources staticResources;
  private final List<String> corsAllowedOrigins;
  private final long maxDeadlineNanos;
  private final boolean exceptionDetails;

  /** The settings as they are being changed: a copy gets one, and is made from it. */
  private static final class Values {
    Executor executor;
    RegistryConfig registry;
    List<ServerInterceptor> interceptors;
    int maxInboundMessageSize;
    int maxHeaderListSize;
    int maxConcurrentStreams;
    int maxConcurrentCalls;
    CallClock clock;
    ServerTls tls;
    ServerKeepAlive keepAlive;
    Duration shutdownGracePeriod;
    StaticResources staticResources;
    List<String> corsAllowedOrigins;
    long maxDeadlineNanos;
    boolean exceptionDetails;

    Values() {}

    Values(ServerOptions o) {
      executor = o.executor;
      registry = o.registry;
      interceptors = o.interceptors;
      maxInboundMessageSize = o.maxInboundMessageSize;
      maxHeaderListSize = o.maxHeaderListSize;
      maxConcurrentStreams = o.maxConcurrentStreams;
      maxConcurrentCalls = o.maxConcurrentCalls;
      clock = o.clock;
      tls = o.tls;
      keepAlive = o.keepAlive;
      shutdownGracePeriod = o.shutdownGracePeriod;
      staticResources = o.staticResources;
      corsAllowedOrigins = o.corsAllowedOrigins;
      maxDeadlineNanos = o.maxDeadlineNanos;
      exceptionDetails = o.exceptionDetails;
    }
  }

  private ServerOptions(Values v) {
    this.executor = v.executor;
    this.registry = v.registry;
    this.interceptors = v.interceptors;
    this.maxInboundMessageSize = v.maxInboundMessageSize;
    this.maxHeaderListSize = v.maxHeaderListSize;
    this.maxConcurrentStreams = v.maxConcurrentStreams;
    this.maxConcurrentCalls = v.maxConcurrentCalls;
    this.clock = v.clock;
    this.tls = v.tls;
    this.keepAlive = v.keepAlive;
    this.shutdownGracePeriod = v.shutdownGracePeriod;
    this.staticResources = v.staticResources;
    this.corsAllowedOrigins = v.corsAllowedOrigins;
    this.maxDeadlineNanos = v.maxDeadlineNanos;
    this.exceptionDetails = v.exceptionDetails;
  }

  /** A copy of these options with {@code change} made. */
  private ServerOptions with(Consumer<Values> change) {
    Values v = new Values(this);
    change.accept(v);
    return new ServerOptions(v);
  }

  /**
   * The server's own executors, no registry, no interceptors, and connections that accept request
   * messages of up to {@value #DEFAULT_MAX_INBOUND_MESSAGE_SIZE} bytes, header lists of up to
   * {@value #DEFAULT_MAX_HEADER_LIST_SIZE} bytes, {@value #DEFAULT_MAX_CONCURRENT_STREAMS} calls at
   * once per connection and {@value #DEFAULT_MAX_CONCURRENT_CALLS} over the server; plaintext, and
   * gRPC's keepalive defaults.
   */
  public static ServerOptions defaults() {
    return DEFAULTS;
  }

  private static int positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  /**
   * A copy whose server runs handlers and async callbacks on {@code executor} instead of its own: a
   * virtual thread per call on JDK 21+; on JDK 17, a bounded pool of daemon threads for blocking
   * handlers and a work-stealing pool of one thread per core for async handlers (which therefore
   * should not block, other than on a {@code CompletableFuture}). The server does not shut it down.
   * A direct executor ({@code Runnable::run}) runs them on the network threads: only for async
   * handlers that never block.
   */
  public ServerOptions withExecutor(Executor executor) {
    return with(v -> v.executor = Objects.requireNonNull(executor, "executor"));
  }

  /**
   * A copy whose server registers its services in {@code registry} when it starts (and removes them
   * when it shuts down, before it drains), so that clients built with the same registry find it.
   * Parameters of the URL: {@code weight} (default 100) is published with each service. Services
   * served in memory are not registered.
   */
  public ServerOptions withRegistry(RegistryConfig registry) {
    return with(v -> v.registry = Objects.requireNonNull(registry, "registry"));
  }

  /**
   * A copy whose server runs every call of every service through {@code interceptors}, after those
   * already set: the first is the outermost ({@link ServerInterceptor}). A server's interceptors
   * come before a service's own ({@link ServiceConfig#withInterceptors}).
   */
  public ServerOptions withInterceptors(ServerInterceptor... interceptors) {
    List<ServerInterceptor> all = new ArrayList<>(this.interceptors);
    for (ServerInterceptor interceptor : interceptors) {
      all.add(Objects.requireNonNull(interceptor, "interceptor"));
    }
    List<ServerInterceptor> copy = List.copyOf(all);
    return with(v -> v.interceptors = copy);
  }

  /**
   * A copy accepting request messages of up to {@code bytes} (after decompression); a larger one
   * fails its call with {@code RESOURCE_EXHAUSTED} and the connection carries on.
   *
   * @throws IllegalArgumentException if {@code bytes} is not positive
   */
  public ServerOptions withMaxInboundMessageSize(int bytes) {
    return with(v -> v.maxInboundMessageSize = positive(bytes, "maxInboundMessageSize"));
  }

  /**
   * A copy accepting request header lists of up to {@code bytes} (HTTP/2 {@code
   * SETTINGS_MAX_HEADER_LIST_SIZE}); a request with more headers is refused.
   *
   * @throws IllegalArgumentException if {@code bytes} is not positive
   */
  public ServerOptions withMaxHeaderListSize(int bytes) {
    return with(v -> v.maxHeaderListSize = positive(bytes, "maxHeaderListSize"));
  }

  /**
   * A copy allowing at most {@code streams} calls at once on one connection (HTTP/2 {@code
   * SETTINGS_MAX_CONCURRENT_STREAMS}); clients queue the rest. {@value
   * #DEFAULT_MAX_CONCURRENT_STREAMS} by default.
   *
   * @throws IllegalArgumentException if {@code streams} is not positive
   */
  public ServerOptions withMaxConcurrentStreams(int streams) {
    return with(v -> v.maxConcurrentStreams = positive(streams, "maxConcurrentStreams"));
  }

  private static long positiveNanos(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + duration);
    }
    return duration.toNanos();
  }

  private static Duration orNull(long nanos) {
    return nanos == ServerKeepAlive.NONE ? null : Duration.ofNanos(nanos);
  }

  private ServerOptions withKeepAlive(ServerKeepAlive keepAlive) {
    return with(v -> v.keepAlive = keepAlive);
  }

  /**
   * A copy whose server sends a keepalive PING on a connection after {@code time} without reading
   * from it, and closes the connection (cancelling its calls) if nothing arrives within {@link
   * #withKeepAliveTimeout the keepalive timeout}: it frees what a vanished client held. Two hours
   * by default, as in gRPC.
   */
  public ServerOptions withKeepAliveTime(Duration time) {
    return withKeepAlive(keepAlive.withTime(positiveNanos(time, "keepAliveTime")));
  }

  /** A copy waiting {@code timeout} for the answer to its keepalive PING; 20 s by default. */
  public ServerOptions withKeepAliveTimeout(Duration timeout) {
    return withKeepAlive(keepAlive.withTimeout(positiveNanos(timeout, "keepAliveTimeout")));
  }

  /**
   * A copy allowing clients to ping as often as every {@code time}: a client that pings more often
   * three times in a row (without the server sending anything in between) gets GOAWAY {@code
   * ENHANCE_YOUR_CALM} with {@code too_many_pings}, and its connection closes. 5 minutes by
   * default, as in gRPC.
   */
  public ServerOptions withPermitKeepAliveTime(Duration time) {
    return withKeepAlive(keepAlive.withPermitTime(positiveNanos(time, "permitKeepAliveTime")));
  }

  /**
   * A copy that lets clients ping also while they have no call open; by default such pings are
   * allowed only once in two hours, as in gRPC.
   */
  public ServerOptions withPermitKeepAliveWithoutCalls(boolean permit) {
    return withKeepAlive(keepAlive.withPermitWithoutCalls(permit));
  }

  /**
   * A copy that closes a connection, gracefully, once it has had no call for {@code idle}. No limit
   * by default.
   */
  public ServerOptions withMaxConnectionIdle(Duration idle) {
    return withKeepAlive(keepAlive.withMaxIdle(positiveNanos(idle, "maxConnectionIdle")));
  }

  /**
   * A copy that retires each connection at {@code age} (give or take 10%, so that connections
   * opened together do not go together): the server sends GOAWAY, clients open a new connection for
   * their next calls, and the calls running finish (within {@link #withMaxConnectionAgeGrace}). It
   * spreads clients over servers added later. No limit by default.
   */
  public ServerOptions withMaxConnectionAge(Duration age) {
    return withKeepAlive(keepAlive.withMaxAge(positiveNanos(age, "maxConnectionAge")));
  }

  /**
   * A copy that cancels the calls still running {@code grace} after a connection reached its
   * {@linkplain #withMaxConnectionAge maximum age}. No limit by default: they run to their end.
   */
  public ServerOptions withMaxConnectionAgeGrace(Duration grace) {
    return withKeepAlive(keepAlive.withMaxAgeGrace(positiveNanos(grace, "maxConnectionAgeGrace")));
  }

  /** The quiet time after which the server pings a connection. */
  public Duration keepAliveTime() {
    return Duration.ofNanos(keepAlive.timeNanos());
  }

  /** How long the server waits for the answer to its keepalive PING. */
  public Duration keepAliveTimeout() {
    return Duration.ofNanos(keepAlive.timeoutNanos());
  }

  /** The shortest interval between a client's pings that the server allows. */
  public Duration permitKeepAliveTime() {
    return Duration.ofNanos(keepAlive.permitTimeNanos());
  }

  /** Whether clients may ping while they have no call open. */
  public boolean permitKeepAliveWithoutCalls() {
    return keepAlive.permitWithoutCalls();
  }

  /** How long a connection may be idle before it is closed, or null for no limit. */
  public Duration maxConnectionIdle() {
    return orNull(keepAlive.maxIdleNanos());
  }

  /** The age at which a connection is retired, or null for no limit. */
  public Duration maxConnectionAge() {
    return orNull(keepAlive.maxAgeNanos());
  }

  /** How long calls may run on a retired connection, or null for no limit. */
  public Duration maxConnectionAgeGrace() {
    return orNull(keepAlive.maxAgeGraceNanos());
  }

  /** The keepalive and lifetime of the server's connections. */
  ServerKeepAlive keepAlive() {
    return keepAlive;
  }

  /**
   * A copy allowing at most {@code calls} calls in progress at once over all connections and ports;
   * a call beyond them fails at once with {@code RESOURCE_EXHAUSTED}, saying so. Handlers that
   * block hold a thread each while their call is open: the bound keeps a crowd of parked calls from
   * starving new ones. {@value #DEFAULT_MAX_CONCURRENT_CALLS} by default.
   *
   * @throws IllegalArgumentException if {@code calls} is not positive
   */
  public ServerOptions withMaxConcurrentCalls(int calls) {
    return with(v -> v.maxConcurrentCalls = positive(calls, "maxConcurrentCalls"));
  }

  /**
   * A copy whose server takes only TLS on its TCP ports, with {@code tls}'s key and certificate
   * (see {@link ServerTls}); plaintext by default. Services published in a registry carry {@code
   * ssl-enabled=true} in their URL, as Apache Dubbo's do, so that consumers connect with TLS.
   */
  public ServerOptions withTls(ServerTls tls) {
    return with(v -> v.tls = Objects.requireNonNull(tls, "tls"));
  }

  /**
   * A copy that gives every call at most {@code max} to run: a call whose client asks for more
   * ({@code grpc-timeout}), or sets no deadline, runs with a deadline {@code max} after its request
   * headers arrived, and ends with {@code DEADLINE_EXCEEDED} when it passes, as if the client had
   * asked for it. Handlers see the deadline in {@link ServerContext#timeRemaining()}. It bounds
   * what a client that forgets its deadline holds (a thread, a call slot) on a server whose
   * handlers may wait for long. Over HTTP/1.1 the cap is the call's deadline. No cap by default.
   *
   * @throws IllegalArgumentException if {@code max} is not positive
   */
  public ServerOptions withMaxDeadline(Duration max) {
    long nanos = positiveNanos(max, "maxDeadline");
    return with(v -> v.maxDeadlineNanos = nanos);
  }

  /** The longest deadline a call runs with, or null for no cap. */
  public Duration maxDeadline() {
    return maxDeadlineNanos == Deadline.NO_TIMEOUT ? null : Duration.ofNanos(maxDeadlineNanos);
  }

  /** {@link #maxDeadline()} in nanoseconds, {@link Deadline#NO_TIMEOUT} for no cap. */
  long maxDeadlineNanos() {
    return maxDeadlineNanos;
  }

  /**
   * A copy whose server tells clients the class and message of an exception that a handler or an
   * interceptor threw (other than a {@link StatusException}), in the description of the call's
   * {@code UNKNOWN} status; never the stack trace. For development only: exception messages can
   * carry what clients should not see (queries, paths, names of internal hosts). Off by default:
   * clients then hear only that the call failed, and the message and stack trace go to the server's
   * log, as they do either way.
   */
  public ServerOptions withExceptionDetails(boolean enabled) {
    return with(v -> v.exceptionDetails = enabled);
  }

  /** Whether clients are told the class and message of server code's exceptions. */
  public boolean exceptionDetails() {
    return exceptionDetails;
  }

  /** A copy whose calls' deadlines are on {@code clock}: a hook for tests. */
  ServerOptions withClock(CallClock clock) {
    return with(v -> v.clock = clock);
  }

  /** The clock of the calls' deadlines, or null for the system clock. */
  CallClock clock() {
    return clock;
  }

  /** The executor of handlers and async callbacks, or null for the server's own. */
  public Executor executor() {
    return executor;
  }

  /** The registry the services are published in, or null for none. */
  public RegistryConfig registry() {
    return registry;
  }

  /** The server-wide interceptors, outermost first. */
  public List<ServerInterceptor> interceptors() {
    return interceptors;
  }

  /** The largest request message accepted, in bytes. */
  public int maxInboundMessageSize() {
    return maxInboundMessageSize;
  }

  /** The largest request header list accepted, in bytes. */
  public int maxHeaderListSize() {
    return maxHeaderListSize;
  }

  /**
   * A copy whose server, once {@linkplain Server#shutdown() shutting down}, lets running calls
   * finish for at most {@code grace}, then cancels the rest ({@code UNAVAILABLE}); {@link
   * Server#DEFAULT_GRACE_PERIOD} by default. Handlers that stream for long should end their calls
   * when they hear of the shutdown ({@link ServerContext#addShutdownListener}).
   */
  public ServerOptions withShutdownGracePeriod(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("shutdownGracePeriod must not be negative: " + grace);
    }
    return with(v -> v.shutdownGracePeriod = grace);
  }

  /** How long a shutdown lets running calls finish. */
  public Duration shutdownGracePeriod() {
    return shutdownGracePeriod;
  }

  /**
   * A copy whose server also answers {@code GET} and {@code HEAD} requests, over HTTP/1.1 and
   * HTTP/2 on every port, with files from the class path folder {@code classpathPrefix} (such as
   * {@code "com/example/web"}): {@code /} is its {@code index.html}, {@code /app.js} its {@code
   * app.js}. Only paths whose last segment has an extension, or is empty, are taken; method paths
   * ({@code /package.Service/method}) stay the calls'. A missing file is a 404, as is any path that
   * tries to leave the folder. Answers carry the file's Content-Type, an ETag and {@code
   * Cache-Control: no-cache}. Files are found by the calling thread's context class loader (else
   * tri4j's), read on their first request and kept: meant for a small page, not for a web site.
   *
   * @throws IllegalArgumentException if a segment of {@code classpathPrefix} is empty, "." or ".."
   */
  public ServerOptions withStaticResources(String classpathPrefix) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    StaticResources files =
        StaticResources.of(
            loader != null ? loader : ServerOptions.class.getClassLoader(), classpathPrefix);
    return with(v -> v.staticResources = files);
  }

  /** The class path folder of the files served, or null for none. */
  public String staticResources() {
    return staticResources == null ? null : staticResources.prefix();
  }

  /** The files served beside the calls, or null for none. */
  StaticResources staticResourceFiles() {
    return staticResources;
  }

  /** The most calls in progress at once over the whole server. */
  public int maxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  /** The most calls at once on one connection; {@link Integer#MAX_VALUE} for unlimited. */
  public int maxConcurrentStreams() {
    return maxConcurrentStreams;
  }

  /**
   * A copy that lets web pages from {@code origins} call the server from a browser (CORS), each an
   * origin as browsers send it ({@code "https://app.example.com"}, scheme, host and any port), or
   * {@code "*"} for any page. Preflights from those origins are answered (204, for two hours), and
   * responses to them carry {@code Access-Control-Allow-Origin} and expose the headers gRPC-Web and
   * Connect clients read; requests from other origins get no CORS headers, so the browser keeps the
   * answer from the page, and their preflights a 403. None by default: same-origin pages only. No
   * origins ({@code withCorsAllowedOrigins()}) restores the default.
   */
  public ServerOptions withCorsAllowedOrigins(String... origins) {
    for (String origin : origins) {
      if (origin == null || origin.isBlank()) {
        throw new IllegalArgumentException("CORS origins must not be empty: " + List.of(origins));
      }
      if (!origin.equals("*") && (!origin.contains("://") || origin.endsWith("/"))) {
        throw new IllegalArgumentException(
            "CORS origin '"
                + origin
                + "' is not an origin: write scheme://host[:port], as in https://app.example.com,"
                + " or * for any");
      }
    }
    List<String> copy = List.of(origins);
    return with(v -> v.corsAllowedOrigins = copy);
  }

  /** The origins of web pages that may call the server (CORS); empty for same-origin only. */
  public List<String> corsAllowedOrigins() {
    return corsAllowedOrigins;
  }

  /** The TLS of the TCP ports, or null for plaintext. */
  public ServerTls tls() {
    return tls;
  }

  @Override
  public String toString() {
    return "ServerOptions{executor="
        + (executor == null ? "default" : executor)
        + ", registry="
        + (registry == null ? "none" : registry)
        + ", interceptors="
        + interceptors.size()
        + ", maxInboundMessageSize="
        + maxInboundMessageSize
        + ", maxHeaderListSize="
        + maxHeaderListSize
        + ", maxConcurrentStreams="
        + (maxConcurrentStreams == Integer.MAX_VALUE ? "unlimited" : maxConcurrentStreams)
        + ", maxConcurrentCalls="
        + maxConcurrentCalls
        + (tls == null ? "" : ", tls=" + tls)
        + (staticResources == null ? "" : ", staticResources=" + staticResources.prefix())
        + (corsAllowedOrigins.isEmpty() ? "" : ", corsAllowedOrigins=" + corsAllowedOrigins)
        + (maxDeadlineNanos == Deadline.NO_TIMEOUT ? "" : ", maxDeadline=" + maxDeadline())
        + (exceptionDetails ? ", exceptionDetails=true" : "")
        + "}";
  }
}
