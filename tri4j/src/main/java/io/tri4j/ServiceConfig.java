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

  public ServiceConfig(RpcServiceHandler serviceHandler) {
    this(serviceHandler, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_INBOUND_MESSAGE_SIZE);
  }

  private ServiceConfig(
      RpcServiceHandler serviceHandler, String host, int port, int maxInboundMessageSize) {
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
  }

  /** A copy listening on {@code host} (a name or an address; {@code 0.0.0.0} for all). */
  public ServiceConfig withHost(String host) {
    return new ServiceConfig(serviceHandler, host, port, maxInboundMessageSize);
  }

  /** A copy listening on {@code port}; {@code 0} picks a free one. */
  public ServiceConfig withPort(int port) {
    return new ServiceConfig(serviceHandler, host, port, maxInboundMessageSize);
  }

  /**
   * A copy accepting request messages of up to {@code bytes}; a larger one fails its call with
   * {@code RESOURCE_EXHAUSTED}. For configs sharing a port, the largest limit applies.
   */
  public ServiceConfig withMaxInboundMessageSize(int bytes) {
    return new ServiceConfig(serviceHandler, host, port, bytes);
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
