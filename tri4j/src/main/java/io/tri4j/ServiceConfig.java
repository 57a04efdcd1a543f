package io.tri4j;

import java.util.Objects;

/**
 * A service and where to serve it, as in the seed's {@code ServiceConfig(service_handler)}.
 *
 * <p>By default the service listens on port {@value #DEFAULT_PORT} of every interface ({@code
 * 0.0.0.0}), as gRPC servers do. Port {@code 0} picks a free port; {@link Server#port()} tells
 * which. Several configs with the same host and port (port {@code 0} included) share one listening
 * socket, so one port can serve several services; for the connection-wide limits of such a port,
 * the largest value among its configs applies.
 *
 * <p>{@link #withInMemoryName} serves the service in this JVM only, with no socket, to clients made
 * with {@link ReferenceConfig#forInMemory}: for tests and benchmarks.
 *
 * <p>Immutable: the {@code withX} methods return copies.
 */
public final class ServiceConfig {
  public static final int DEFAULT_PORT = 50051;
  public static final String DEFAULT_HOST = "0.0.0.0";

  /** The largest request message accepted by default: 4 MiB, as in gRPC. */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 4 * 1024 * 1024;

  /** The largest request header list accepted by default: 8 KiB, as in gRPC. */
  public static final int DEFAULT_MAX_HEADER_LIST_SIZE = 8 * 1024;

  private final RpcServiceHandler serviceHandler;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private int maxInboundMessageSize = DEFAULT_MAX_INBOUND_MESSAGE_SIZE;
  private int maxHeaderListSize = DEFAULT_MAX_HEADER_LIST_SIZE;
  private int maxConcurrentStreams = Integer.MAX_VALUE;
  private String version;
  private String group;
  private String compression;
  private java.util.List<ServerInterceptor> interceptors = java.util.List.of();
  private String inMemoryName;

  public ServiceConfig(RpcServiceHandler serviceHandler) {
    this.serviceHandler = Objects.requireNonNull(serviceHandler, "serviceHandler");
  }

  private ServiceConfig copy() {
    ServiceConfig c = new ServiceConfig(serviceHandler);
    c.host = host;
    c.port = port;
    c.maxInboundMessageSize = maxInboundMessageSize;
    c.maxHeaderListSize = maxHeaderListSize;
    c.maxConcurrentStreams = maxConcurrentStreams;
    c.version = version;
    c.group = group;
    c.compression = compression;
    c.interceptors = interceptors;
    c.inMemoryName = inMemoryName;
    return c;
  }

  private static int positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  /** A copy listening on {@code host} (a name or an address; {@code 0.0.0.0} for all). */
  public ServiceConfig withHost(String host) {
    ServiceConfig c = copy();
    c.host = Objects.requireNonNull(host, "host");
    return c;
  }

  /** A copy listening on {@code port}; {@code 0} picks a free one. */
  public ServiceConfig withPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    ServiceConfig c = copy();
    c.port = port;
    return c;
  }

  /**
   * A copy served in this JVM under {@code name} instead of on a host and port: no socket is
   * opened, and clients made with {@link ReferenceConfig#forInMemory
   * ReferenceConfig.forInMemory(name, service)} reach it through the same HTTP/2 framing, limits
   * and handlers as over TCP. Configs with the same name share one in-memory listener, as configs
   * with the same port share a socket. {@link Server#start()} fails if a running server already
   * uses the name.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public ServiceConfig withInMemoryName(String name) {
    if (Objects.requireNonNull(name, "name").isBlank()) {
      throw new IllegalArgumentException("The in-memory name must not be blank");
    }
    ServiceConfig c = copy();
    c.inMemoryName = name;
    return c;
  }

  /**
   * A copy accepting request messages of up to {@code bytes} (after decompression); a larger one
   * fails its call with {@code RESOURCE_EXHAUSTED} and the connection carries on.
   */
  public ServiceConfig withMaxInboundMessageSize(int bytes) {
    ServiceConfig c = copy();
    c.maxInboundMessageSize = positive(bytes, "maxInboundMessageSize");
    return c;
  }

  /**
   * A copy accepting request header lists of up to {@code bytes} (HTTP/2 {@code
   * SETTINGS_MAX_HEADER_LIST_SIZE}); a request with more headers is refused.
   */
  public ServiceConfig withMaxHeaderListSize(int bytes) {
    ServiceConfig c = copy();
    c.maxHeaderListSize = positive(bytes, "maxHeaderListSize");
    return c;
  }

  /**
   * A copy allowing at most {@code streams} calls at once on one connection (HTTP/2 {@code
   * SETTINGS_MAX_CONCURRENT_STREAMS}); clients queue the rest. Unlimited by default.
   */
  public ServiceConfig withMaxConcurrentStreams(int streams) {
    ServiceConfig c = copy();
    c.maxConcurrentStreams = positive(streams, "maxConcurrentStreams");
    return c;
  }

  /**
   * A copy serving this Dubbo version of the service: calls whose {@code tri-service-version}
   * header matches come here. A port may serve several versions and groups of one service; a call
   * whose version and group match none goes to the config that has neither, as in Dubbo.
   */
  public ServiceConfig withVersion(String version) {
    ServiceConfig c = copy();
    c.version = emptyToNull(version);
    return c;
  }

  /**
   * A copy serving this Dubbo group of the service ({@code tri-service-group}); see {@link
   * #withVersion}.
   */
  public ServiceConfig withGroup(String group) {
    ServiceConfig c = copy();
    c.group = emptyToNull(group);
    return c;
  }

  /**
   * A copy whose calls run through {@code interceptors}, after those already set and inside the
   * server's own; the first is the outermost ({@link ServerInterceptor}).
   */
  public ServiceConfig withInterceptors(ServerInterceptor... interceptors) {
    java.util.List<ServerInterceptor> all = new java.util.ArrayList<>(this.interceptors);
    for (ServerInterceptor interceptor : interceptors) {
      all.add(Objects.requireNonNull(interceptor, "interceptor"));
    }
    ServiceConfig c = copy();
    c.interceptors = java.util.List.copyOf(all);
    return c;
  }

  /** This service's own interceptors, outermost first. */
  public java.util.List<ServerInterceptor> interceptors() {
    return interceptors;
  }

  /**
   * A copy that compresses responses with {@code encoding} ({@code gzip}, {@code deflate}) for
   * clients that accept it; a handler may choose otherwise per call ({@link
   * ServerContext#setCompression}).
   *
   * @throws IllegalArgumentException if the encoding is not supported
   */
  public ServiceConfig withCompression(String encoding) {
    io.tri4j.internal.codec.Compression.forEncoding(encoding); // validates
    ServiceConfig c = copy();
    c.compression = encoding;
    return c;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  public RpcServiceHandler serviceHandler() {
    return serviceHandler;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public int maxInboundMessageSize() {
    return maxInboundMessageSize;
  }

  public int maxHeaderListSize() {
    return maxHeaderListSize;
  }

  public int maxConcurrentStreams() {
    return maxConcurrentStreams;
  }

  /** The Dubbo version, or null. */
  public String version() {
    return version;
  }

  /** The Dubbo group, or null. */
  public String group() {
    return group;
  }

  /** The in-memory name, or null for a service served on {@link #host()} and {@link #port()}. */
  public String inMemoryName() {
    return inMemoryName;
  }

  /** The response compression, or null. */
  public String compression() {
    return compression;
  }
}
