package io.tri4j;

import java.util.Objects;

/**
 * A service and where to serve it, as in the seed's {@code ServiceConfig(service_handler)}.
 *
 * <p>By default the service listens on port {@value #DEFAULT_PORT} of every interface ({@code
 * 0.0.0.0}), as gRPC servers do. Port {@code 0} picks a free port; {@link Server#port()} tells
 * which. Several configs with the same host and port (port {@code 0} included) share one listening
 * socket, so one port can serve several services.
 *
 * <p>Immutable: the {@code withX} methods return copies.
 */
public final class ServiceConfig {
  public static final int DEFAULT_PORT = 50051;
  public static final String DEFAULT_HOST = "0.0.0.0";

  /** The largest request message accepted by default: 4 MiB, as in gRPC. */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 4 * 1024 * 1024;

  private final RpcServiceHandler serviceHandler;
  private final String host;
  private final int port;
  private final int maxInboundMessageSize;
  private final String version;
  private final String group;
  private final String compression;

  public ServiceConfig(RpcServiceHandler serviceHandler) {
    this(
        serviceHandler,
        DEFAULT_HOST,
        DEFAULT_PORT,
        DEFAULT_MAX_INBOUND_MESSAGE_SIZE,
        null,
        null,
        null);
  }

  private ServiceConfig(
      RpcServiceHandler serviceHandler,
      String host,
      int port,
      int maxInboundMessageSize,
      String version,
      String group,
      String compression) {
    this.serviceHandler = Objects.requireNonNull(serviceHandler, "serviceHandler");
    this.host = Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (maxInboundMessageSize <= 0) {
      throw new IllegalArgumentException("maxInboundMessageSize must be positive");
    }
    this.port = port;
    this.maxInboundMessageSize = maxInboundMessageSize;
    this.version = version;
    this.group = group;
    this.compression = compression;
  }

  /** A copy listening on {@code host} (a name or an address; {@code 0.0.0.0} for all). */
  public ServiceConfig withHost(String host) {
    return new ServiceConfig(
        serviceHandler, host, port, maxInboundMessageSize, version, group, compression);
  }

  /** A copy listening on {@code port}; {@code 0} picks a free one. */
  public ServiceConfig withPort(int port) {
    return new ServiceConfig(
        serviceHandler, host, port, maxInboundMessageSize, version, group, compression);
  }

  /**
   * A copy accepting request messages of up to {@code bytes}; a larger one fails its call with
   * {@code RESOURCE_EXHAUSTED}. For configs sharing a port, the largest limit applies.
   */
  public ServiceConfig withMaxInboundMessageSize(int bytes) {
    return new ServiceConfig(serviceHandler, host, port, bytes, version, group, compression);
  }

  /**
   * A copy serving this Dubbo version of the service: calls whose {@code tri-service-version}
   * header matches come here. A port may serve several versions and groups of one service; a call
   * whose version and group match none goes to the config that has neither, as in Dubbo.
   */
  public ServiceConfig withVersion(String version) {
    return new ServiceConfig(
        serviceHandler,
        host,
        port,
        maxInboundMessageSize,
        emptyToNull(version),
        group,
        compression);
  }

  /**
   * A copy serving this Dubbo group of the service ({@code tri-service-group}); see {@link
   * #withVersion}.
   */
  public ServiceConfig withGroup(String group) {
    return new ServiceConfig(
        serviceHandler,
        host,
        port,
        maxInboundMessageSize,
        version,
        emptyToNull(group),
        compression);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
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
    return new ServiceConfig(
        serviceHandler, host, port, maxInboundMessageSize, version, group, encoding);
  }

  /** The response compression, or null. */
  public String compression() {
    return compression;
  }

  /** The Dubbo version, or null. */
  public String version() {
    return version;
  }

  /** The Dubbo group, or null. */
  public String group() {
    return group;
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
}
