package io.tri4j;

import io.tri4j.internal.call.CallExecutors;
import io.tri4j.internal.call.CallTarget;
import io.tri4j.internal.call.ClientCalls;
import io.tri4j.internal.transport.NettyClientTransport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * A Triple client for one remote service, as in the seed's {@code dubbo.Client(reference_config)}.
 * It makes typed callables for the service's methods, one per call style:
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
 * opened again if it is lost; a call that cannot connect fails with {@code UNAVAILABLE}.
 *
 * <h2>Closing</h2>
 *
 * {@link #close()} lets calls still running finish for a few seconds, then fails them with {@code
 * UNAVAILABLE}, and frees the thread. Calls made after it fail with {@code UNAVAILABLE}.
 */
public final class Client implements AutoCloseable {
  private final ReferenceConfig config;
  private final NettyClientTransport transport;
  private final ExecutorService ownExecutor;
  private final CallTarget target;

  /**
   * A client for the service of {@code config}. URL parameters it uses: {@code timeout}, the
   * default timeout of every call in milliseconds (as in Dubbo); {@code compression}, the default
   * request compression ({@code gzip}, {@code deflate} or {@code identity}); {@code serialization},
   * {@code protobuf} (the default, {@code application/grpc+proto}) or {@code json} ({@code
   * application/grpc+json}: pair it with JSON serializer functions such as {@link
   * Protobuf#jsonSerializer()}); {@code version}, {@code group} and {@code application}, sent as
   * Dubbo's {@code tri-service-version}, {@code tri-service-group} and {@code tri-consumer-appname}
   * headers.
   *
   * @throws IllegalArgumentException if a parameter has an invalid value
   */
  public Client(ReferenceConfig config) {
    this(config, null);
  }

  /**
   * As {@link #Client(ReferenceConfig)}, with the executor that runs async callbacks and writes
   * request iterators of bidi calls. The client does not shut it down. With {@code null}, the
   * client makes its own: a virtual thread per task on JDK 21+, a bounded pool before.
   */
  public Client(ReferenceConfig config, Executor executor) {
    this.config = Objects.requireNonNull(config, "config");
    Duration defaultTimeout = parseTimeout(config.parameter("timeout"));
    io.tri4j.internal.codec.Compression.forEncoding(config.parameter("compression")); // validates
    Map<String, String> dubboHeaders = new LinkedHashMap<>();
    putIfSet(dubboHeaders, "tri-service-version", config.parameter("version"));
    putIfSet(dubboHeaders, "tri-service-group", config.parameter("group"));
    putIfSet(dubboHeaders, "tri-consumer-appname", config.parameter("application"));
    this.transport =
        new NettyClientTransport(
            config.host(),
            config.port(),
            config.maxInboundMessageSize(),
            config.connectTimeout(),
            dubboHeaders,
            json(config.parameter("serialization")));
    this.ownExecutor = executor == null ? CallExecutors.newBlockingExecutor("tri4j-client") : null;
    this.target =
        new CallTarget(
            transport,
            defaultTimeout,
            executor != null ? executor : ownExecutor,
            config.parameter("compression"));
  }

  private static Duration parseTimeout(String millis) {
    if (millis == null || millis.isEmpty()) {
      return null;
    }
    try {
      long ms = Long.parseLong(millis.trim());
      if (ms <= 0) {
        throw new NumberFormatException();
      }
      return Duration.ofMillis(ms);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "URL parameter timeout must be a positive number of milliseconds, not '" + millis + "'");
    }
  }

  private static boolean json(String serialization) {
    if (serialization == null || serialization.isEmpty() || serialization.equals("protobuf")) {
      return false;
    }
    if (serialization.equals("json")) {
      return true;
    }
    throw new IllegalArgumentException(
        "URL parameter serialization must be protobuf or json, not '" + serialization + "'");
  }

  private static void putIfSet(Map<String, String> headers, String name, String value) {
    if (value != null && !value.isEmpty()) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < 0x20 || c > 0x7e) {
          throw new IllegalArgumentException(
              "URL parameter for " + name + " must be printable ASCII");
        }
      }
      headers.put(name, value);
    }
  }

  public ReferenceConfig config() {
    return config;
  }

  /** A unary method of the service: {@code call(request)} returns the response. */
  public <Q, R> UnaryCallable<Q, R> unary(
      String methodName, Serializer<Q> requestSerializer, Deserializer<R> responseDeserializer) {
    return ClientCalls.unary(target, path(methodName), requestSerializer, responseDeserializer);
  }

  /** A client-streaming method: requests from an iterator, or written into a stream. */
  public <Q, R> ClientStreamCallable<Q, R> clientStream(
      String methodName, Serializer<Q> requestSerializer, Deserializer<R> responseDeserializer) {
    return ClientCalls.clientStream(
        target, path(methodName), requestSerializer, responseDeserializer);
  }

  /** A server-streaming method: {@code call(request)} returns a {@link ReadStream}. */
  public <Q, R> ServerStreamCallable<Q, R> serverStream(
      String methodName, Serializer<Q> requestSerializer, Deserializer<R> responseDeserializer) {
    return ClientCalls.serverStream(
        target, path(methodName), requestSerializer, responseDeserializer);
  }

  /** A bidirectional-streaming method, as the seed's {@code client.bidi_stream(...)}. */
  public <Q, R> BidiStreamCallable<Q, R> bidiStream(
      String methodName, Serializer<Q> requestSerializer, Deserializer<R> responseDeserializer) {
    return ClientCalls.bidiStream(
        target, path(methodName), requestSerializer, responseDeserializer);
  }

  private String path(String methodName) {
    Objects.requireNonNull(methodName, "methodName");
    if (methodName.isEmpty() || methodName.indexOf('/') >= 0) {
      throw new IllegalArgumentException("Invalid method name: '" + methodName + "'");
    }
    return "/" + config.service() + "/" + methodName;
  }

  /** Closes the connection (see the class comment) and frees its thread. Idempotent. */
  @Override
  public void close() {
    transport.close();
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "Client[" + config + "]";
  }
}
