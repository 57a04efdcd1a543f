package io.tri4j;

import java.util.Objects;

/**
 * A service and where to serve it, as in dubbo-python's {@code ServiceConfig(service_handler)}.
 *
 * <p>By default the service listens on port {@value #DEFAULT_PORT} of every interface ({@code
 * 0.0.0.0}), as gRPC servers do. Port {@code 0} picks a free port; {@link Server#port()} tells
 * which. Several configs with the same host and port (port {@code 0} included) share one listening
 * socket, so one port can serve several services.
 *
 * <p>What is the same for every service of a server (its executor, registry, server-wide
 * interceptors and connection limits) is in {@link ServerOptions}.
 *
 * <p>{@link #withInMemoryName} serves the service in this JVM only, with no socket, to clients made
 * with {@link ReferenceConfig#forInMemory}: for tests and benchmarks.
 *
 * <p>Immutable: the {@code withX} methods return copies.
 */
public final class ServiceConfig {
  /** The port served when none is given, as in dubbo-python. */
  public static final int DEFAULT_PORT = 50051;

  /** All interfaces, as dubbo-python serves by default. */
  public static final String DEFAULT_HOST = "0.0.0.0";

  private final RpcServiceHandler serviceHandler;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String version;
  private String group;
  private String compression;
  private java.util.List<ServerInterceptor> interceptors = java.util.List.of();
  private String inMemoryName;

  /** {@code serviceHandler} served on {@link #DEFAULT_HOST} and {@link #DEFAULT_PORT}. */
  public ServiceConfig(RpcServiceHandler serviceHandler) {
    this.serviceHandler = Objects.requireNonNull(serviceHandler, "serviceHandler");
  }

  private ServiceConfig copy() {
    ServiceConfig c = new ServiceConfig(serviceHandler);
    c.host = host;
    c.port = port;
    c.version = version;
    c.group = group;
    c.compression = compression;
    c.interceptors = interceptors;
    c.inMemoryName = inMemoryName;
    return c;
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
   * server's own ({@link ServerOptions#withInterceptors}); the first is the outermost ({@link
   * ServerInterceptor}).
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

  /** The service served. */
  public RpcServiceHandler serviceHandler() {
    return serviceHandler;
  }

  /** The host or address to listen on. */
  public String host() {
    return host;
  }

  /** The port to listen on (0: any free port). */
  public int port() {
    return port;
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
