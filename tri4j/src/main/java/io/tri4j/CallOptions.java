package io.tri4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Options of one client call: its timeout and the request headers to send. Immutable: the {@code
 * withX} methods return copies.
 *
 * <pre>{@code
 * CallOptions options = CallOptions.DEFAULT
 *     .withTimeout(Duration.ofSeconds(2))
 *     .withHeaders(new Metadata().put("x-request-id", id));
 * GreeterReply reply = greet.call(request, options);
 * }</pre>
 */
public final class CallOptions {
  /** No timeout beyond the client's default, no extra headers. */
  public static final CallOptions DEFAULT =
      new CallOptions(null, new Metadata(), null, Map.of(), List.of(), List.of());

  private final Duration timeout;
  private final Metadata headers;
  private final String compression;
  private final Map<CallKey<?>, Object> values;
  private final List<ClientInterceptor> interceptors;
  private final List<StreamTracer.Factory> streamTracers;

  private CallOptions(
      Duration timeout,
      Metadata headers,
      String compression,
      Map<CallKey<?>, Object> values,
      List<ClientInterceptor> interceptors,
      List<StreamTracer.Factory> streamTracers) {
    this.timeout = timeout;
    this.headers = headers;
    this.compression = compression;
    this.values = values;
    this.interceptors = interceptors;
    this.streamTracers = streamTracers;
  }

  /**
   * A copy whose call fails with {@code DEADLINE_EXCEEDED} if it has not ended {@code timeout}
   * after it starts. The server is told the deadline ({@code grpc-timeout}) and stops the call too.
   * Overrides the client's default from the URL parameter {@code timeout}.
   */
  public CallOptions withTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return new CallOptions(timeout, headers, compression, values, interceptors, streamTracers);
  }

  /** A copy that sends {@code headers} (copied) with the request. */
  public CallOptions withHeaders(Metadata headers) {
    return new CallOptions(
        timeout,
        new Metadata(Objects.requireNonNull(headers, "headers")),
        compression,
        values,
        interceptors,
        streamTracers);
  }

  /**
   * A copy that compresses its request messages with {@code encoding}: {@code gzip}, {@code
   * deflate}, or {@code identity} for none. Overrides the client's default from the URL parameter
   * {@code compression}.
   *
   * @throws IllegalArgumentException if the encoding is not supported
   */
  public CallOptions withCompression(String encoding) {
    io.tri4j.internal.codec.Compression.forEncoding(encoding); // validates
    return new CallOptions(
        timeout,
        headers,
        Objects.requireNonNull(encoding, "encoding"),
        values,
        interceptors,
        streamTracers);
  }

  /**
   * A copy carrying {@code value} under {@code key}, for interceptors to read ({@link #value}); a
   * null value removes it. Values are not sent to the server.
   */
  public <T> CallOptions withValue(CallKey<T> key, T value) {
    Map<CallKey<?>, Object> copy = new IdentityHashMap<>(values);
    if (value == null) {
      copy.remove(Objects.requireNonNull(key, "key"));
    } else {
      copy.put(Objects.requireNonNull(key, "key"), value);
    }
    return new CallOptions(timeout, headers, compression, copy, interceptors, streamTracers);
  }

  /** The value under {@code key}, or null. */
  @SuppressWarnings("unchecked")
  public <T> T value(CallKey<T> key) {
    return (T) values.get(key);
  }

  /**
   * A copy that runs the call through {@code interceptors} too, inside the client's own ({@link
   * ReferenceConfig#withInterceptors}) and after those already set here; the first is the
   * outermost.
   */
  public CallOptions withInterceptors(ClientInterceptor... interceptors) {
    List<ClientInterceptor> all = new ArrayList<>(this.interceptors);
    for (ClientInterceptor interceptor : interceptors) {
      all.add(Objects.requireNonNull(interceptor, "interceptor"));
    }
    return new CallOptions(timeout, headers, compression, values, List.copyOf(all), streamTracers);
  }

  /**
   * A copy whose call tells each of its attempts to a tracer that {@code factory} makes, besides
   * those already set here: for an interceptor that needs the size of each message on the wire, or
   * each attempt of a retried call, and passes the copy on ({@link ClientCall.Factory#newCall}).
   */
  public CallOptions withStreamTracer(StreamTracer.Factory factory) {
    List<StreamTracer.Factory> all = new ArrayList<>(streamTracers);
    all.add(Objects.requireNonNull(factory, "factory"));
    return new CallOptions(timeout, headers, compression, values, interceptors, List.copyOf(all));
  }

  /** The stream tracers of this call, in the order they were set. */
  public List<StreamTracer.Factory> streamTracers() {
    return streamTracers;
  }

  /** This call's own interceptors, outermost first. */
  public List<ClientInterceptor> interceptors() {
    return interceptors;
  }

  /** The request compression, or {@code null} for the client's default. */
  public String compression() {
    return compression;
  }

  /** The timeout, or {@code null} for the client's default. */
  public Duration timeout() {
    return timeout;
  }

  /** A copy of the request headers. */
  public Metadata headers() {
    return new Metadata(headers);
  }

  @Override
  public String toString() {
    return "CallOptions{timeout="
        + timeout
        + ", headers="
        + headers
        + ", compression="
        + compression
        + (values.isEmpty() ? "" : ", values=" + values.keySet())
        + (interceptors.isEmpty() ? "" : ", interceptors=" + interceptors.size())
        + "}";
  }
}
