package io.tri4j;

import io.tri4j.internal.ParameterNames;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.transport.ClientKeepAlive;
import io.tri4j.registry.LoadBalancer;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Which remote service a {@link Client} calls, and how, read from a URL as in dubbo-python's {@code
 * ReferenceConfig.from_url("tri://127.0.0.1:50051/org.apache.dubbo.samples.proto.Greeter")}.
 *
 * <p>The URL is {@code tri://host[:port]/service[?name=value&...]}. The port defaults to {@value
 * ServiceConfig#DEFAULT_PORT}. The query parameters are read once, here, into typed values, and
 * each is checked: a name this class does not know, or a value it cannot use, is an {@code
 * IllegalArgumentException} that says what to write instead (so that a misspelled {@code
 * ?timout=100} cannot be silently ignored). The parameters are:
 *
 * <table>
 *   <caption>Query parameters</caption>
 *   <tr><th>Name</th><th>Value</th><th>Accessor</th></tr>
 *   <tr><td>{@code timeout}</td><td>the default deadline of every call, a positive number of
 *       milliseconds (as in Dubbo)</td><td>{@link #timeout()}</td></tr>
 *   <tr><td>{@code compression}</td><td>the default request compression: {@code gzip}, {@code
 *       deflate} or {@code identity}</td><td>{@link #compression()}</td></tr>
 *   <tr><td>{@code serialization}</td><td>{@code protobuf} (the default) or {@code
 *       json}</td><td>{@link #serialization()}</td></tr>
 *   <tr><td>{@code protocol}</td><td>{@code grpc} (the default), {@code grpc-web} or {@code
 *       connect}: the wire protocol of the calls, over HTTP/2</td><td>{@link
 *       #wireProtocol()}</td></tr>
 *   <tr><td>{@code version}, {@code group}, {@code application}</td><td>printable ASCII, sent as
 *       Dubbo's {@code tri-service-version}, {@code tri-service-group} and {@code
 *       tri-consumer-appname} headers</td><td>{@link #version()}, {@link #group()}, {@link
 *       #application()}</td></tr>
 *   <tr><td>{@code loadbalance}</td><td>with a registry: {@code random}, {@code roundrobin},
 *       {@code leastactive} or {@code p2c} (see {@link LoadBalancer})</td><td>{@link
 *       #loadbalance()}</td></tr>
 *   <tr><td>{@code cluster}</td><td>with a registry: {@code failover} or {@code
 *       failfast}</td><td>{@link #cluster()}</td></tr>
 *   <tr><td>{@code retries}</td><td>with a registry and {@code failover}: a non-negative
 *       integer</td><td>{@link #retries()}</td></tr>
 *   <tr><td>{@code ssl-enabled}</td><td>{@code true} to connect with TLS (what an Apache Dubbo
 *       provider with TLS writes in its registry URL), {@code false} (the default) for
 *       plaintext</td><td>{@link #tlsEnabled()}</td></tr>
 *   <tr><td>{@code keepAliveTime}</td><td>a keepalive PING after this many milliseconds without
 *       reading from the connection; off if absent</td><td>{@link #keepAliveTime()}</td></tr>
 *   <tr><td>{@code keepAliveTimeout}</td><td>milliseconds to wait for the PING's answer before
 *       the connection is taken as lost (default 20000)</td><td>{@link
 *       #keepAliveTimeout()}</td></tr>
 *   <tr><td>{@code keepAliveWithoutCalls}</td><td>{@code true} to ping also while no call is
 *       open ({@code false} by default)</td><td>{@link #keepAliveWithoutCalls()}</td></tr>
 * </table>
 *
 * <p>Names are matched exactly; the choice values ({@code compression}, {@code serialization},
 * {@code protocol}, {@code loadbalance}, {@code cluster}, {@code keepAliveWithoutCalls}) in any
 * case. The keepalive parameters are settings of the connection: clients that share {@link
 * ClientResources} share a connection only if they agree on them. An empty value ({@code
 * ?timeout=}) is the same as none. {@link #parameters()} keeps the decoded parameters as written.
 *
 * <p>{@link #forInMemory} refers to a service in this JVM, served with {@link
 * ServiceConfig#withInMemoryName}: the same HTTP/2 calls with no socket, for tests and benchmarks.
 *
 * <p>Immutable: the {@code withX} methods return copies, and check their values as {@link #fromUrl}
 * does.
 */
public final class ReferenceConfig {
  /** The largest response message accepted by default: 4 MiB, as in gRPC. */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 4 * 1024 * 1024;

  /** How long to wait for a connection by default. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** How messages are encoded on the wire: the {@code serialization} parameter. */
  public enum Serialization {
    /** Protocol Buffers binary, {@code application/grpc+proto}: the default. */
    PROTOBUF,
    /**
     * JSON, {@code application/grpc+json}: pair it with JSON serializer functions such as {@link
     * Protobuf#jsonSerializer()}.
     */
    JSON;

    /** The value in the URL: {@code protobuf} or {@code json}. */
    public String urlValue() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The wire protocol of a client's calls: the {@code protocol} parameter. Every one runs over the
   * same HTTP/2 connection, with the same deadlines, metadata, compression and interceptors.
   */
  public enum WireProtocol {
    /** gRPC ({@code application/grpc+proto}), status in HTTP/2 trailers: the default. */
    GRPC,
    /**
     * gRPC-Web ({@code application/grpc-web+proto}), status in the last frame of the body: for
     * servers that answer browsers, behind proxies that drop HTTP trailers.
     */
    GRPC_WEB,
    /**
     * The Connect protocol: unary calls as plain POSTs ({@code application/proto}, errors as JSON),
     * streams in {@code application/connect+proto} envelopes.
     */
    CONNECT;

    /** The value in the URL: {@code grpc}, {@code grpc-web} or {@code connect}. */
    public String urlValue() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** What a client with a registry does when a provider cannot take a call: {@code cluster}. */
  public enum Cluster {
    /** A unary call is tried on another provider, {@link #retries()} times: the default. */
    FAILOVER,
    /** The call fails at once. */
    FAILFAST;

    /** The value in the URL: {@code failover} or {@code failfast}. */
    public String urlValue() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final String TIMEOUT = "timeout";
  private static final String COMPRESSION = "compression";
  private static final String SERIALIZATION = "serialization";
  private static final String PROTOCOL = "protocol";
  private static final String VERSION = "version";
  private static final String GROUP = "group";
  private static final String APPLICATION = "application";
  private static final String LOADBALANCE = "loadbalance";
  private static final String CLUSTER = "cluster";
  private static final String RETRIES = "retries";
  private static final String SSL_ENABLED = "ssl-enabled";
  private static final String KEEP_ALIVE_TIME = "keepAliveTime";
  private static final String KEEP_ALIVE_TIMEOUT = "keepAliveTimeout";
  private static final String KEEP_ALIVE_WITHOUT_CALLS = "keepAliveWithoutCalls";

  /** Every parameter name {@link #fromUrl} takes, in alphabetical order for messages. */
  private static final List<String> KNOWN =
      List.of(
          APPLICATION,
          CLUSTER,
          COMPRESSION,
          GROUP,
          KEEP_ALIVE_TIME,
          KEEP_ALIVE_TIMEOUT,
          KEEP_ALIVE_WITHOUT_CALLS,
          LOADBALANCE,
          PROTOCOL,
          RETRIES,
          SERIALIZATION,
          SSL_ENABLED,
          TIMEOUT,
          VERSION);

  /** The parameters a client with a registry also takes from the registry's URL. */
  private static final List<String> FROM_REGISTRY = List.of(LOADBALANCE, CLUSTER, RETRIES);

  private final String protocol;
  private final String host;
  private final int port;
  private final String service;
  private final Map<String, String> parameters;
  private final Settings settings;
  private final int maxInboundMessageSize;
  private final Duration connectTimeout;
  private final String inMemoryName;
  private final List<ClientInterceptor> interceptors;
  private final ClientTls tls;

  /** The typed values of the parameters; null where the URL sets none. */
  private record Settings(
      Duration timeout,
      String compression,
      Serialization serialization,
      WireProtocol wireProtocol,
      String version,
      String group,
      String application,
      String loadbalance,
      Cluster cluster,
      Integer retries,
      Boolean sslEnabled,
      Duration keepAliveTime,
      Duration keepAliveTimeout,
      boolean keepAliveWithoutCalls) {
    static final Settings NONE =
        new Settings(
            null, null, null, null, null, null, null, null, null, null, null, null, null, false);
  }

  private ReferenceConfig(
      String protocol,
      String host,
      int port,
      String service,
      Map<String, String> parameters,
      Settings settings,
      int maxInboundMessageSize,
      Duration connectTimeout,
      String inMemoryName,
      List<ClientInterceptor> interceptors,
      ClientTls tls) {
    this.protocol = protocol;
    this.host = host;
    this.port = port;
    this.service = service;
    this.parameters = parameters;
    this.settings = settings;
    this.maxInboundMessageSize = maxInboundMessageSize;
    this.connectTimeout = connectTimeout;
    this.inMemoryName = inMemoryName;
    this.interceptors = interceptors;
    this.tls = tls;
  }

  /**
   * A reference to {@code service} served in this JVM by a server whose {@link ServiceConfig} has
   * {@link ServiceConfig#withInMemoryName withInMemoryName(name)}. Calls go through the same HTTP/2
   * framing as over TCP, but no socket; if no such server is running, they fail with {@code
   * UNAVAILABLE}. Parameters are set with the {@code withX} methods or {@link #withParameter}.
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
        Settings.NONE,
        DEFAULT_MAX_INBOUND_MESSAGE_SIZE,
        DEFAULT_CONNECT_TIMEOUT,
        name,
        List.of(),
        null);
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
   * service whose providers a registry lists. Every query parameter is checked (see the class
   * comment).
   *
   * @throws IllegalArgumentException if the URL is malformed, its scheme is not {@code tri}, its
   *     port is not a number from 1 to 65535, it names no host or no service, or it has a parameter
   *     this class does not know (the message lists the known ones) or a value it cannot use
   */
  public static ReferenceConfig fromUrl(String url) {
    Objects.requireNonNull(url, "url");
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      int start = url.indexOf("://");
      if (start >= 0) {
        String rest = url.substring(start + 3);
        int end = 0;
        while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
          end++;
        }
        checkPort(rest.substring(0, end), url);
      }
      throw new IllegalArgumentException("Malformed URL '" + url + "': " + e.getMessage(), e);
    }
    if (!"tri".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException(
          "Unsupported protocol in '" + url + "': expected tri://host:port/service");
    }
    String host = uri.getHost();
    int port = uri.getPort();
    if ((host == null || host.isEmpty()) && uri.getRawAuthority() != null) {
      // java.net.URI takes "host:abc" or "host:99999999999" for a registry-based authority with no
      // host: say what is wrong with the port rather than that there is no host.
      checkPort(uri.getRawAuthority(), url);
      throw new IllegalArgumentException(
          "No host in '" + url + "': expected tri://host:port/service");
    }
    if (host != null && (port == 0 || port > 65535)) {
      throw badPort(Integer.toString(port), url);
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
        uri.getScheme().toLowerCase(Locale.ROOT),
        host,
        port < 0 ? ServiceConfig.DEFAULT_PORT : port,
        service,
        Collections.unmodifiableMap(parameters),
        parse(parameters, "in URL '" + url + "'"),
        DEFAULT_MAX_INBOUND_MESSAGE_SIZE,
        DEFAULT_CONNECT_TIMEOUT,
        null,
        List.of(),
        null);
  }

  /**
   * Throws if the port of {@code authority} ({@code host:port}, {@code [::1]:port}, {@code
   * user@host:port}) is given but is not a port number.
   */
  private static void checkPort(String authority, String url) {
    String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
    int close = hostPort.indexOf(']');
    if (hostPort.startsWith("[") && close < 0) {
      return; // a malformed IPv6 host, not a port
    }
    int colon = hostPort.startsWith("[") ? hostPort.indexOf(':', close) : hostPort.lastIndexOf(':');
    String port = colon < 0 ? "" : hostPort.substring(colon + 1);
    if (!port.isEmpty() && !validPort(port)) {
      throw badPort(port, url);
    }
  }

  private static boolean validPort(String port) {
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    int n = Integer.parseInt(port);
    return n >= 1 && n <= 65535;
  }

  private static IllegalArgumentException badPort(String port, String url) {
    return new IllegalArgumentException(
        "Bad port '" + port + "' in URL '" + url + "': expected a number from 1 to 65535");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /**
   * Checks every parameter and reads it into its type; {@code where} says where the parameters come
   * from, for messages.
   */
  private static Settings parse(Map<String, String> parameters, String where) {
    Duration timeout = null;
    String compression = null;
    Serialization serialization = null;
    WireProtocol wireProtocol = null;
    String version = null;
    String group = null;
    String application = null;
    String loadbalance = null;
    Cluster cluster = null;
    Integer retries = null;
    Boolean sslEnabled = null;
    Duration keepAliveTime = null;
    Duration keepAliveTimeout = null;
    boolean keepAliveWithoutCalls = false;
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      String name = parameter.getKey();
      String value = parameter.getValue();
      if (!KNOWN.contains(name)) {
        throw unknownParameter(name, where);
      }
      String v = value.isEmpty() ? null : value; // empty is the same as none
      String choice = v == null ? null : v.trim().toLowerCase(Locale.ROOT);
      switch (name) {
        case TIMEOUT -> timeout = v == null ? null : millis(name, v, where, "such as timeout=3000");
        case KEEP_ALIVE_TIME ->
            keepAliveTime =
                v == null ? null : millis(name, v, where, "such as keepAliveTime=30000");
        case KEEP_ALIVE_TIMEOUT ->
            keepAliveTimeout =
                v == null ? null : millis(name, v, where, "such as keepAliveTimeout=20000");
        case KEEP_ALIVE_WITHOUT_CALLS -> {
          if (v != null && !choice.equals("true") && !choice.equals("false")) {
            throw badValue(name, value, where, "true or false");
          }
          keepAliveWithoutCalls = "true".equals(choice);
        }
        case COMPRESSION -> {
          if (v != null && !Compression.SUPPORTED.contains(choice)) {
            throw badValue(name, value, where, String.join(", ", Compression.SUPPORTED));
          }
          compression = choice;
        }
        case SERIALIZATION ->
            serialization =
                v == null ? null : choice(Serialization.values(), choice, name, value, where);
        case PROTOCOL -> wireProtocol = v == null ? null : wireProtocol(choice, value, where);
        case VERSION -> version = headerValue(name, v, where);
        case GROUP -> group = headerValue(name, v, where);
        case APPLICATION -> application = headerValue(name, v, where);
        case LOADBALANCE -> {
          if (v != null) {
            try {
              LoadBalancer.named(choice); // the one list of the built-in balancers
            } catch (IllegalArgumentException e) {
              throw badValue(name, value, where, "random, roundrobin, leastactive or p2c");
            }
          }
          loadbalance = choice;
        }
        case CLUSTER ->
            cluster = v == null ? null : choice(Cluster.values(), choice, name, value, where);
        case RETRIES -> retries = v == null ? null : retries(v, where);
        case SSL_ENABLED -> {
          if (v != null && !choice.equals("true") && !choice.equals("false")) {
            throw badValue(name, value, where, "true or false");
          }
          sslEnabled = v == null ? null : Boolean.valueOf(choice);
        }
        default -> throw new AssertionError(name);
      }
    }
    return new Settings(
        timeout,
        compression,
        serialization,
        wireProtocol,
        version,
        group,
        application,
        loadbalance,
        cluster,
        retries,
        sslEnabled,
        keepAliveTime,
        keepAliveTimeout,
        keepAliveWithoutCalls);
  }

  private static Duration millis(String name, String value, String where, String example) {
    try {
      long millis = Long.parseLong(value.trim());
      if (millis > 0) {
        return Duration.ofMillis(millis);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw badValue(name, value, where, "a positive number of milliseconds, " + example);
  }

  private static WireProtocol wireProtocol(String choice, String value, String where) {
    for (WireProtocol p : WireProtocol.values()) {
      if (p.urlValue().equals(choice)) {
        return p;
      }
    }
    throw badValue(PROTOCOL, value, where, "grpc, grpc-web or connect");
  }

  private static Integer retries(String value, String where) {
    try {
      int retries = Integer.parseInt(value.trim());
      if (retries >= 0) {
        return retries;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw badValue(RETRIES, value, where, "a non-negative integer, such as retries=2");
  }

  private static <E extends Enum<E>> E choice(
      E[] values, String choice, String name, String value, String where) {
    List<String> names = new ArrayList<>();
    for (E e : values) {
      String urlValue = e.name().toLowerCase(Locale.ROOT);
      if (urlValue.equals(choice)) {
        return e;
      }
      names.add(urlValue);
    }
    throw badValue(name, value, where, String.join(" or ", names));
  }

  /** A value sent as a header: printable ASCII. */
  private static String headerValue(String name, String value, String where) {
    if (value != null) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < 0x20 || c > 0x7e) {
          throw badValue(name, value, where, "printable ASCII (it is sent in a header)");
        }
      }
    }
    return value;
  }

  private static IllegalArgumentException badValue(
      String name, String value, String where, String expected) {
    return new IllegalArgumentException(
        "Bad value '" + value + "' for parameter " + name + " " + where + ": expected " + expected);
  }

  private static IllegalArgumentException unknownParameter(String name, String where) {
    return ParameterNames.unknown(name, where, KNOWN);
  }

  /** {@code tri}. */
  public String protocol() {
    return protocol;
  }

  /** The host, or null for a reference resolved through a registry or served in memory. */
  public String host() {
    return host;
  }

  /** The port of the URL. */
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

  /**
   * Every query parameter, decoded, in URL order, as written (the typed accessors below read them
   * checked).
   */
  public Map<String, String> parameters() {
    return parameters;
  }

  /** A query parameter's value as written, or {@code null} if absent. */
  public String parameter(String name) {
    return parameters.get(name);
  }

  /**
   * A copy with one parameter set, checked as {@link #fromUrl} checks it; an empty value is the
   * same as none.
   *
   * @throws IllegalArgumentException if the name is not a known parameter or the value is invalid
   */
  public ReferenceConfig withParameter(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(parameters);
    copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return withParameters(copy, "for '" + this + "'");
  }

  private ReferenceConfig withParameters(Map<String, String> copy, String where) {
    return new ReferenceConfig(
        protocol,
        host,
        port,
        service,
        Collections.unmodifiableMap(copy),
        parse(copy, where),
        maxInboundMessageSize,
        connectTimeout,
        inMemoryName,
        interceptors,
        tls);
  }

  /**
   * This reference with the parameters a client with a registry may also take from the registry's
   * URL ({@code loadbalance}, {@code cluster}, {@code retries}) set from {@code registry} where
   * this reference sets none: the reference's own values win. The registry's values are checked as
   * {@link #fromUrl} checks them; its other parameters are the registry's own and are left alone.
   */
  ReferenceConfig withRegistryDefaults(RegistryConfig registry) {
    Map<String, String> copy = new LinkedHashMap<>(parameters);
    for (String name : FROM_REGISTRY) {
      String own = parameters.get(name);
      String theirs = registry.parameter(name, "");
      if ((own == null || own.isEmpty()) && !theirs.isEmpty()) {
        // The registry URL may carry a password: name only its address.
        parse(
            Map.of(name, theirs),
            "in registry URL '" + registry.scheme() + "://" + registry.address() + "'");
        copy.put(name, theirs);
      }
    }
    return withParameters(copy, "for '" + this + "'");
  }

  /**
   * The {@code timeout} parameter: the default deadline of each call, which {@link
   * CallOptions#withTimeout} overrides; null for none.
   */
  public Duration timeout() {
    return settings.timeout();
  }

  /**
   * A copy whose calls fail with {@code DEADLINE_EXCEEDED} if they have not ended {@code timeout}
   * after they start, unless {@link CallOptions#withTimeout} says otherwise: the {@code timeout}
   * parameter, in milliseconds.
   *
   * @throws IllegalArgumentException if {@code timeout} is shorter than a millisecond
   */
  public ReferenceConfig withTimeout(Duration timeout) {
    return withParameter(TIMEOUT, positiveMillis(timeout, TIMEOUT));
  }

  /**
   * The {@code compression} parameter in lower case: {@code gzip}, {@code deflate} or {@code
   * identity}, the compression of requests whose {@link CallOptions} set none; null for none.
   */
  public String compression() {
    return settings.compression();
  }

  /**
   * A copy whose requests are compressed with {@code encoding} ({@code gzip}, {@code deflate}, or
   * {@code identity} for none) unless {@link CallOptions#withCompression} says otherwise.
   *
   * @throws IllegalArgumentException if the encoding is not supported
   */
  public ReferenceConfig withCompression(String encoding) {
    return withParameter(COMPRESSION, Objects.requireNonNull(encoding, "encoding"));
  }

  /** The {@code serialization} parameter; {@link Serialization#PROTOBUF} if the URL sets none. */
  public Serialization serialization() {
    return settings.serialization() == null ? Serialization.PROTOBUF : settings.serialization();
  }

  /** A copy with the {@code serialization} parameter set. */
  public ReferenceConfig withSerialization(Serialization serialization) {
    return withParameter(
        SERIALIZATION, Objects.requireNonNull(serialization, "serialization").urlValue());
  }

  /** The {@code protocol} parameter; {@link WireProtocol#GRPC} if the URL sets none. */
  public WireProtocol wireProtocol() {
    return settings.wireProtocol() == null ? WireProtocol.GRPC : settings.wireProtocol();
  }

  /**
   * A copy whose calls speak {@code protocol}: the {@code protocol} parameter. (Not {@link
   * #protocol()}, which is the URL's scheme.)
   */
  public ReferenceConfig withWireProtocol(WireProtocol protocol) {
    return withParameter(PROTOCOL, Objects.requireNonNull(protocol, "protocol").urlValue());
  }

  /**
   * The {@code version} parameter, sent as {@code tri-service-version} (and, with a registry, the
   * version of the providers called); null for none.
   */
  public String version() {
    return settings.version();
  }

  /**
   * A copy with the {@code version} parameter set.
   *
   * @throws IllegalArgumentException if it is not printable ASCII
   */
  public ReferenceConfig withVersion(String version) {
    return withParameter(VERSION, Objects.requireNonNull(version, "version"));
  }

  /**
   * The {@code group} parameter, sent as {@code tri-service-group} (and, with a registry, the group
   * of the providers called); null for none.
   */
  public String group() {
    return settings.group();
  }

  /**
   * A copy with the {@code group} parameter set.
   *
   * @throws IllegalArgumentException if it is not printable ASCII
   */
  public ReferenceConfig withGroup(String group) {
    return withParameter(GROUP, Objects.requireNonNull(group, "group"));
  }

  /** The {@code application} parameter, sent as {@code tri-consumer-appname}; null for none. */
  public String application() {
    return settings.application();
  }

  /**
   * The {@code loadbalance} parameter in lower case ({@code random}, {@code roundrobin}, {@code
   * leastactive} or {@code p2c}); null if this URL sets none, and a client with a registry then
   * takes the registry URL's, or {@code random}.
   */
  public String loadbalance() {
    return settings.loadbalance();
  }

  /**
   * The {@code cluster} parameter; null if this URL sets none, and a client with a registry then
   * takes the registry URL's, or {@link Cluster#FAILOVER}.
   */
  public Cluster cluster() {
    return settings.cluster();
  }

  /**
   * The {@code retries} parameter, how many times a {@link Cluster#FAILOVER} client tries a unary
   * call again on another provider; null if this URL sets none, and a client with a registry then
   * takes the registry URL's, or 2.
   */
  public Integer retries() {
    return settings.retries();
  }

  /**
   * The {@code keepAliveTime} parameter: how long the connection may be quiet (nothing read) before
   * the client sends a keepalive PING; null for no pings (the default, as in gRPC). A server allows
   * pings every 5 minutes by default and closes the connection of a client that pings more often
   * ({@code too_many_pings}); the client then doubles its time on its next connections.
   */
  public Duration keepAliveTime() {
    return settings.keepAliveTime();
  }

  /**
   * A copy that sends a keepalive PING after {@code time} without reading from the connection: the
   * {@code keepAliveTime} parameter, in milliseconds. A connection whose PING goes unanswered for
   * {@link #keepAliveTimeout()} is closed and its calls fail with {@code UNAVAILABLE}.
   *
   * @throws IllegalArgumentException if {@code time} is shorter than a millisecond
   */
  public ReferenceConfig withKeepAliveTime(Duration time) {
    return withParameter(KEEP_ALIVE_TIME, positiveMillis(time, KEEP_ALIVE_TIME));
  }

  /**
   * The {@code keepAliveTimeout} parameter: how long to wait for the answer to a keepalive PING
   * (anything read counts) before the connection is taken as lost; 20 s if the URL sets none.
   */
  public Duration keepAliveTimeout() {
    return Objects.requireNonNullElse(settings.keepAliveTimeout(), ClientKeepAlive.DEFAULT_TIMEOUT);
  }

  /**
   * A copy with the {@code keepAliveTimeout} parameter set, in milliseconds.
   *
   * @throws IllegalArgumentException if {@code timeout} is shorter than a millisecond
   */
  public ReferenceConfig withKeepAliveTimeout(Duration timeout) {
    return withParameter(KEEP_ALIVE_TIMEOUT, positiveMillis(timeout, KEEP_ALIVE_TIMEOUT));
  }

  /**
   * The {@code keepAliveWithoutCalls} parameter: whether keepalive PINGs go also while no call is
   * open (a server may count those against the client unless it permits them); false by default.
   */
  public boolean keepAliveWithoutCalls() {
    return settings.keepAliveWithoutCalls();
  }

  /** A copy with the {@code keepAliveWithoutCalls} parameter set. */
  public ReferenceConfig withKeepAliveWithoutCalls(boolean enabled) {
    return withParameter(KEEP_ALIVE_WITHOUT_CALLS, Boolean.toString(enabled));
  }

  /** The keepalive of the client's connections. */
  ClientKeepAlive clientKeepAlive() {
    return ClientKeepAlive.of(keepAliveTime(), keepAliveTimeout(), keepAliveWithoutCalls());
  }

  private static String positiveMillis(Duration duration, String name) {
    long millis = Objects.requireNonNull(duration, name).toMillis();
    if (millis <= 0) {
      throw new IllegalArgumentException(name + " must be at least a millisecond, not " + duration);
    }
    return Long.toString(millis);
  }

  /**
   * The largest response message accepted, in bytes; larger ones fail the call with {@code
   * RESOURCE_EXHAUSTED}.
   */
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
        protocol,
        host,
        port,
        service,
        parameters,
        settings,
        bytes,
        connectTimeout,
        inMemoryName,
        interceptors,
        tls);
  }

  /** How long a connection attempt may take. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The interceptors of every call the client makes, outermost first. */
  public List<ClientInterceptor> interceptors() {
    return interceptors;
  }

  /**
   * A copy whose client runs every call through {@code interceptors}, after those already set: the
   * first is the outermost ({@link ClientInterceptor}). Not part of the URL.
   */
  public ReferenceConfig withInterceptors(ClientInterceptor... interceptors) {
    List<ClientInterceptor> all = new java.util.ArrayList<>(this.interceptors);
    for (ClientInterceptor interceptor : interceptors) {
      all.add(Objects.requireNonNull(interceptor, "interceptor"));
    }
    return new ReferenceConfig(
        protocol,
        host,
        port,
        service,
        parameters,
        settings,
        maxInboundMessageSize,
        connectTimeout,
        inMemoryName,
        List.copyOf(all),
        tls);
  }

  /**
   * The TLS settings given with {@link #withTls}, or null. A reference whose URL says {@code
   * ssl-enabled=true} but that has none connects with {@link ClientTls#defaults()}.
   */
  public ClientTls tls() {
    return tls;
  }

  /**
   * Whether the client connects with TLS: when {@link #withTls} gave settings, or the URL says
   * {@code ssl-enabled=true}.
   */
  public boolean tlsEnabled() {
    return tls != null || Boolean.TRUE.equals(settings.sslEnabled());
  }

  /**
   * A copy whose client connects with TLS (see {@link ClientTls}) rather than plaintext, whatever
   * the URL's {@code ssl-enabled} says. Not part of the URL. A reference served in memory ignores
   * it: its bytes never leave the JVM. With a registry, every provider is reached with these
   * settings; without them, only providers whose registry URL says {@code ssl-enabled=true} are
   * reached with TLS ({@link ClientTls#defaults()}).
   */
  public ReferenceConfig withTls(ClientTls tls) {
    return new ReferenceConfig(
        protocol,
        host,
        port,
        service,
        parameters,
        settings,
        maxInboundMessageSize,
        connectTimeout,
        inMemoryName,
        interceptors,
        Objects.requireNonNull(tls, "tls"));
  }

  /** A copy that waits at most {@code timeout} for a connection before failing with UNAVAILABLE. */
  public ReferenceConfig withConnectTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive");
    }
    return new ReferenceConfig(
        protocol,
        host,
        port,
        service,
        parameters,
        settings,
        maxInboundMessageSize,
        timeout,
        inMemoryName,
        interceptors,
        tls);
  }

  /**
   * The URL, with its parameters as written: {@link #fromUrl} reads it back to the same host, port,
   * service and parameters (the settings that are not URL parameters, {@link
   * #maxInboundMessageSize()}, {@link #connectTimeout()} and {@link #tls()}, are not in it). An
   * in-memory reference has no network URL: it reads {@code in-memory:name/service?params}, which
   * {@link #fromUrl} does not take.
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
      url.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      sep = '&';
    }
    return url.toString();
  }

  /** Percent-encoding that {@link #decode} reads back: a space is {@code %20}, not {@code +}. */
  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public String toString() {
    return toUrl();
  }
}
