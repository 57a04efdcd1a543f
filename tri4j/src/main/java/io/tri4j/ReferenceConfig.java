package io.tri4j;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which remote service a {@link Client} calls, read from a URL as in the seed's {@code
 * ReferenceConfig.from_url("tri://127.0.0.1:50051/org.apache.dubbo.samples.proto.Greeter")}.
 *
 * <p>The URL is {@code tri://host[:port]/service[?name=value&...]}. The port defaults to {@value
 * ServiceConfig#DEFAULT_PORT}. Query parameters are kept, decoded, and readable with {@link
 * #parameter(String)}: {@code timeout}, {@code compression}, {@code version}, {@code group} and the
 * like configure the calls.
 *
 * <p>{@link #forInMemory} refers to a service in this JVM, served with {@link
 * ServiceConfig#withInMemoryName}: the same HTTP/2 calls with no socket, for tests and benchmarks.
 *
 * <p>Immutable: the {@code withX} methods return copies.
 */
public final class ReferenceConfig {
  /** The largest response message accepted by default: 4 MiB, as in gRPC. */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 4 * 1024 * 1024;

  /** How long to wait for a connection by default. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final String protocol;
  private final String host;
  private final int port;
  private final String service;
  private final Map<String, String> parameters;
  private final int maxInboundMessageSize;
  private final Duration connectTimeout;
  private final String inMemoryName;

  private ReferenceConfig(
      String protocol,
      String host,
      int port,
      String service,
      Map<String, String> parameters,
      int maxInboundMessageSize,
      Duration connectTimeout,
      String inMemoryName) {
    this.protocol = protocol;
    this.host = host;
    this.port = port;
    this.service = service;
    this.parameters = parameters;
    this.maxInboundMessageSize = maxInboundMessageSize;
    this.connectTimeout = connectTimeout;
    this.inMemoryName = inMemoryName;
  }

  /**
   * A reference to {@code service} served in this JVM by a server whose {@link ServiceConfig} has
   * {@link ServiceConfig#withInMemoryName withInMemoryName(name)}. Calls go through the same HTTP/2
   * framing as over TCP, but no socket; if no such server is running, they fail with {@code
   * UNAVAILABLE}. Parameters are set with {@link #withParameter}.
   *
   * @throws IllegalArgumentException if {@code name} is blank or {@code service} empty
   */
  public static ReferenceConfig forInMemory(String name, String service) {
    if (Objects.requireNonNull(name, "name").isBlank()) {
      throw new IllegalArgumentException("The in-memory name must not be blank");
    }
    if (Objects.requireNonNull(service, "service").isEmpty() || service.indexOf('/') >= 0) {
      throw new IllegalArgumentException("Not a service name: '" + service + "'");
    }
    return new ReferenceConfig(
        "tri",
        null,
        0,
        service,
        Map.of(),
        DEFAULT_MAX_INBOUND_MESSAGE_SIZE,
        DEFAULT_CONNECT_TIMEOUT,
        name);
  }

  /**
   * A reference to {@code service} with no host, for a client that finds its providers in a
   * registry; the same as {@code fromUrl("tri:///" + service)}.
   */
  public static ReferenceConfig forService(String service) {
    return fromUrl("tri:///" + Objects.requireNonNull(service, "service"));
  }

  /**
   * Reads a {@code tri://host:port/service?params} URL; {@code tri:///service} (no host) names a
   * service whose providers a registry lists.
   *
   * @throws IllegalArgumentException if the URL is malformed, its scheme is not {@code tri}, or it
   *     names no host or no service
   */
  public static ReferenceConfig fromUrl(String url) {
    Objects.requireNonNull(url, "url");
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Malformed URL '" + url + "': " + e.getMessage(), e);
    }
    if (!"tri".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException(
          "Unsupported protocol in '" + url + "': expected tri://host:port/service");
    }
    String host = uri.getHost();
    if ((host == null || host.isEmpty()) && uri.getRawAuthority() != null) {
      throw new IllegalArgumentException(
          "No host in '" + url + "': expected tri://host:port/service");
    }
    if (host != null && host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String path = uri.getRawPath() == null ? "" : decode(uri.getRawPath());
    String service = path.startsWith("/") ? path.substring(1) : path;
    if (service.isEmpty() || service.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          "No service in '" + url + "': expected tri://host:port/package.Service");
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        parameters.put(name, value);
      }
    }
    return new ReferenceConfig(
        uri.getScheme().toLowerCase(java.util.Locale.ROOT),
        host,
        uri.getPort() < 0 ? ServiceConfig.DEFAULT_PORT : uri.getPort(),
        service,
        Collections.unmodifiableMap(parameters),
        DEFAULT_MAX_INBOUND_MESSAGE_SIZE,
        DEFAULT_CONNECT_TIMEOUT,
        null);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** {@code tri}. */
  public String protocol() {
    return protocol;
  }

  /** The host, or null for a reference resolved through a registry or served in memory. */
  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The name given to {@link #forInMemory}, or null for a reference reached over the network. */
  public String inMemoryName() {
    return inMemoryName;
  }

  /** The full service name, such as {@code org.apache.dubbo.samples.proto.Greeter}. */
  public String service() {
    return service;
  }

  /** Every query parameter, decoded, in URL order. */
  public Map<String, String> parameters() {
    return parameters;
  }

  /** A query parameter's value, or {@code null} if absent. */
  public String parameter(String name) {
    return parameters.get(name);
  }

  /** A copy with one parameter set. */
  public ReferenceConfig withParameter(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(parameters);
    copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new ReferenceConfig(
        protocol,
        host,
        port,
        service,
        Collections.unmodifiableMap(copy),
        maxInboundMessageSize,
        connectTimeout,
        inMemoryName);
  }

  public int maxInboundMessageSize() {
    return maxInboundMessageSize;
  }

  /**
   * A copy accepting response messages of up to {@code bytes}; a larger one fails its call with
   * {@code RESOURCE_EXHAUSTED}.
   */
  public ReferenceConfig withMaxInboundMessageSize(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maxInboundMessageSize must be positive");
    }
    return new ReferenceConfig(
        protocol, host, port, service, parameters, bytes, connectTimeout, inMemoryName);
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** A copy that waits at most {@code timeout} for a connection before failing with UNAVAILABLE. */
  public ReferenceConfig withConnectTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive");
    }
    return new ReferenceConfig(
        protocol, host, port, service, parameters, maxInboundMessageSize, timeout, inMemoryName);
  }

  /**
   * The URL, with its parameters. An in-memory reference has no network URL: it reads {@code
   * in-memory:name/service?params}, which {@link #fromUrl} does not take.
   */
  public String toUrl() {
    StringBuilder url =
        inMemoryName != null
            ? new StringBuilder("in-memory:").append(inMemoryName)
            : new StringBuilder(protocol).append("://");
    if (host != null) {
      url.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host).append(':').append(port);
    }
    url.append('/').append(service);
    char sep = '?';
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      url.append(sep)
          .append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      sep = '&';
    }
    return url.toString();
  }

  @Override
  public String toString() {
    return toUrl();
  }
}
