package io.tri4j.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.TracerProvider;
import io.tri4j.Client;
import io.tri4j.ClientInterceptor;
import io.tri4j.Server;
import io.tri4j.ServerInterceptor;
import java.util.Objects;

/**
 * OpenTelemetry for tri4j: gRPC's standard metrics (gRFC A66: {@code grpc.server.call.duration},
 * {@code grpc.client.attempt.started}, ... with {@code grpc.method}, {@code grpc.status} and {@code
 * grpc.target}) and tracing (a span per server call, per client call and per attempt, the trace
 * context sent in W3C {@code traceparent} and {@code baggage} headers), as interceptors.
 *
 * <pre>{@code
 * Tri4jOpenTelemetry telemetry = Tri4jOpenTelemetry.of(openTelemetry);
 * Server server = new Server(
 *     ServerOptions.defaults().withInterceptors(telemetry.serverInterceptor()), service);
 * Client client = new Client(ReferenceConfig.fromUrl(url)
 *     .withInterceptors(telemetry.clientInterceptor("tri://localhost:50051")));
 * }</pre>
 *
 * <p>Register the interceptors first, so that they are the outermost and time what the others do
 * too. The propagators are the OpenTelemetry instance's; where it has none, W3C trace context and
 * baggage. A server also reads a remote parent from {@code grpc-trace-bin}, as older gRPC clients
 * send it.
 *
 * <p>Thread-safe; make one per OpenTelemetry instance and share it: the instruments are made once.
 */
public final class Tri4jOpenTelemetry {
  /** The instrumentation scope's name, under which the metrics and spans are recorded. */
  public static final String SCOPE = "io.tri4j";

  private final Meter meter;
  private final Instruments instruments;
  private final Tracing tracing;
  private final ServerInterceptor server;

  private Tri4jOpenTelemetry(OpenTelemetry openTelemetry) {
    this.meter = openTelemetry.getMeter(SCOPE);
    this.instruments = new Instruments(meter);
    // Without a tracer, no span is started, no context read or sent: metrics cost no more.
    this.tracing =
        openTelemetry.getTracerProvider() == TracerProvider.noop()
            ? null
            : new Tracing(
                openTelemetry.getTracer(SCOPE),
                openTelemetry.getPropagators().getTextMapPropagator());
    this.server = new ServerTelemetry(instruments, tracing);
  }

  /** Metrics and traces to {@code openTelemetry}'s providers. */
  public static Tri4jOpenTelemetry of(OpenTelemetry openTelemetry) {
    return new Tri4jOpenTelemetry(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  /** The interceptor for servers (or services). */
  public ServerInterceptor serverInterceptor() {
    return server;
  }

  /**
   * The interceptor for a client of {@code target}, recorded as {@code grpc.target}: the address
   * the client was made with, such as {@code tri://localhost:50051} (without parameters, which may
   * hold secrets).
   */
  public ClientInterceptor clientInterceptor(String target) {
    return new ClientTelemetry(instruments, tracing, Objects.requireNonNull(target, "target"));
  }

  /**
   * Gauges of {@code server}'s transport, read when metrics are collected: {@code
   * tri4j.server.connection.open} (connections open now) and {@code tri4j.server.buffered_bytes}
   * (message bytes held in tri4j's buffers). Close the result to stop them, as when the server is
   * closed.
   */
  public AutoCloseable observe(Server server) {
    Objects.requireNonNull(server, "server");
    return closingAll(
        meter
            .gaugeBuilder("tri4j.server.connection.open")
            .ofLongs()
            .setUnit("{connection}")
            .setDescription("Connections open now.")
            .buildWithCallback(gauge -> gauge.record(server.openConnections())),
        meter
            .gaugeBuilder("tri4j.server.buffered_bytes")
            .ofLongs()
            .setUnit("By")
            .setDescription("Bytes of messages held in tri4j's buffers now.")
            .buildWithCallback(gauge -> gauge.record(server.bytesHeld())));
  }

  /**
   * A gauge of {@code client}'s transport, read when metrics are collected: {@code
   * tri4j.client.buffered_bytes} (message bytes held in tri4j's buffers, with {@code grpc.target}).
   * Close the result to stop it.
   */
  public AutoCloseable observe(Client client, String target) {
    Objects.requireNonNull(client, "client");
    Attributes attributes = Attributes.of(Instruments.TARGET, target);
    return closingAll(
        meter
            .gaugeBuilder("tri4j.client.buffered_bytes")
            .ofLongs()
            .setUnit("By")
            .setDescription("Bytes of messages held in tri4j's buffers now.")
            .buildWithCallback(gauge -> gauge.record(client.bytesHeld(), attributes)));
  }

  private static AutoCloseable closingAll(AutoCloseable... gauges) {
    return () -> {
      for (AutoCloseable gauge : gauges) {
        gauge.close();
      }
    };
  }
}
