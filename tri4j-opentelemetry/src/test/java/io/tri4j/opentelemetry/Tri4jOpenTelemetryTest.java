package io.tri4j.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tri4j.CallOptions;
import io.tri4j.Client;
import io.tri4j.Deserializer;
import io.tri4j.Metadata;
import io.tri4j.ReadStream;
import io.tri4j.ReferenceConfig;
import io.tri4j.RpcMethodHandler;
import io.tri4j.RpcServiceHandler;
import io.tri4j.Serializer;
import io.tri4j.Server;
import io.tri4j.ServerContext;
import io.tri4j.ServerOptions;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.WriteStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Metrics and traces of real loopback calls, through the SDK's in-memory reader and exporter. */
@Timeout(30)
class Tri4jOpenTelemetryTest {
  static final String SERVICE = "otel.Echo";
  static final Serializer<String> SER = s -> s.getBytes(StandardCharsets.UTF_8);
  static final Deserializer<String> DES = b -> new String(b, StandardCharsets.UTF_8);

  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final List<String> seenByHandler = new CopyOnWriteArrayList<>();
  private OpenTelemetrySdk sdk;
  private ExecutorService handlers;
  private Server server;
  private Client client;
  private String target;
  private Tri4jOpenTelemetry telemetry;

  @BeforeEach
  void start() {
    sdk =
        OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build();
    telemetry = Tri4jOpenTelemetry.of(sdk);
    handlers = Executors.newCachedThreadPool();
    server =
        new Server(
                ServerOptions.defaults()
                    // Span.current() in blocking handlers, which run on tasks of their own.
                    .withExecutor(Context.taskWrapping(handlers))
                    .withInterceptors(telemetry.serverInterceptor()),
                new ServiceConfig(service()).withHost("127.0.0.1").withPort(0))
            .start();
    target = "tri://127.0.0.1:" + server.port();
    client =
        new Client(
            ReferenceConfig.fromUrl(target + "/" + SERVICE)
                .withInterceptors(telemetry.clientInterceptor(target)));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
    handlers.shutdownNow();
    sdk.close();
  }

  private RpcServiceHandler service() {
    return new RpcServiceHandler(
        SERVICE,
        Map.of(
            "unary",
            RpcMethodHandler.unary(
                (String r) -> {
                  seenByHandler.add(
                      Span.current().getSpanContext().getTraceId()
                          + " "
                          + Baggage.current().getEntryValue("tenant")
                          + (ServerContext.current().requestHeaders().containsKey("traceparent")
                              ? ""
                              : " without traceparent"));
                  if (r.equals("fail")) {
                    throw Status.NOT_FOUND.withDescription("no such thing").asException();
                  }
                  return r + r;
                },
                DES,
                SER),
            "clientStream",
            RpcMethodHandler.clientStream(
                (ReadStream<String> rs) -> String.join(",", rs.stream().toList()), DES, SER),
            "serverStream",
            RpcMethodHandler.serverStream(
                (String r, WriteStream<String> out) -> {
                  out.write(r);
                  out.write(r);
                },
                DES,
                SER),
            "bidi",
            RpcMethodHandler.biStream(
                (ReadStream<String> rs, WriteStream<String> out) -> {
                  for (String r : rs) {
                    out.write(r);
                  }
                },
                DES,
                SER)));
  }

  private MetricData metric(String name) {
    Collection<MetricData> all = metrics.collectAllMetrics();
    return all.stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in " + all));
  }

  private static HistogramPointData onlyPoint(MetricData histogram) {
    assertThat(histogram.getHistogramData().getPoints()).hasSize(1);
    return histogram.getHistogramData().getPoints().iterator().next();
  }

  private static String attr(io.opentelemetry.sdk.metrics.data.PointData p, String key) {
    return p.getAttributes().get(AttributeKey.stringKey(key));
  }

  private SpanData span(SpanKind kind, String name) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == kind && s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(kind + " " + name + " not in " + spans));
  }

  @Test
  void unaryCall_recordsGrpcStandardMetrics_onBothSides() {
    String reply = client.<String, String>unary("unary", SER, DES).call("hello");

    assertThat(reply).isEqualTo("hellohello");
    String method = SERVICE + "/unary";

    LongPointData started =
        metric("grpc.server.call.started").getLongSumData().getPoints().iterator().next();
    assertThat(started.getValue()).isEqualTo(1);
    assertThat(attr(started, "grpc.method")).isEqualTo(method);

    MetricData serverDuration = metric("grpc.server.call.duration");
    assertThat(serverDuration.getUnit()).isEqualTo("s");
    HistogramPointData sd = onlyPoint(serverDuration);
    assertThat(sd.getBoundaries()).containsExactlyElementsOf(Instruments.LATENCY_BUCKETS);
    assertThat(attr(sd, "grpc.method")).isEqualTo(method);
    assertThat(attr(sd, "grpc.status")).isEqualTo("OK");

    HistogramPointData serverRcvd =
        onlyPoint(metric("grpc.server.call.rcvd_total_compressed_message_size"));
    assertThat(serverRcvd.getSum()).isEqualTo(5);
    assertThat(serverRcvd.getBoundaries()).contains(0.0, 1024.0, 4294967296.0);
    assertThat(onlyPoint(metric("grpc.server.call.sent_total_compressed_message_size")).getSum())
        .isEqualTo(10);

    LongPointData attempts =
        metric("grpc.client.attempt.started").getLongSumData().getPoints().iterator().next();
    assertThat(attempts.getValue()).isEqualTo(1);
    assertThat(attr(attempts, "grpc.target")).isEqualTo(target);
    HistogramPointData attempt = onlyPoint(metric("grpc.client.attempt.duration"));
    assertThat(attr(attempt, "grpc.status")).isEqualTo("OK");
    assertThat(attr(attempt, "grpc.target")).isEqualTo(target);
    assertThat(onlyPoint(metric("grpc.client.attempt.sent_total_compressed_message_size")).getSum())
        .isEqualTo(5);
    assertThat(onlyPoint(metric("grpc.client.attempt.rcvd_total_compressed_message_size")).getSum())
        .isEqualTo(10);
    HistogramPointData call = onlyPoint(metric("grpc.client.call.duration"));
    assertThat(call.getSum()).isGreaterThanOrEqualTo(attempt.getSum());
    assertThat(attr(call, "grpc.method")).isEqualTo(method);
    assertThat(metrics.collectAllMetrics())
        .extracting(MetricData::getName)
        .doesNotContain("grpc.client.call.retries");
  }

  @Test
  void failedCall_recordsItsStatus_andAnErrorSpanOnTheClient() {
    StatusException e =
        catchThrowableOfType(
            StatusException.class,
            () -> client.<String, String>unary("unary", SER, DES).call("fail"));

    assertThat(e.getStatus().code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(attr(onlyPoint(metric("grpc.server.call.duration")), "grpc.status"))
        .isEqualTo("NOT_FOUND");
    assertThat(attr(onlyPoint(metric("grpc.client.call.duration")), "grpc.status"))
        .isEqualTo("NOT_FOUND");
    SpanData clientSpan = span(SpanKind.CLIENT, SERVICE + "/unary");
    assertThat(clientSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(clientSpan.getStatus().getDescription()).isEqualTo("NOT_FOUND: no such thing");
    assertThat(clientSpan.getAttributes().get(Tracing.RPC_STATUS)).isEqualTo(5L);
    // A client's mistake, not the server's: the server's span is not an error.
    assertThat(span(SpanKind.SERVER, SERVICE + "/unary").getStatus().getStatusCode())
        .isEqualTo(StatusCode.UNSET);
  }

  @Test
  void trace_continuesFromTheCaller_throughCallAndAttempt_toTheServer_withBaggage() {
    Span parent = sdk.getTracer("test").spanBuilder("caller").startSpan();
    Scope inSpan = parent.makeCurrent();
    Scope withBaggage = Baggage.builder().put("tenant", "blue").build().makeCurrent();
    try {
      client.<String, String>unary("unary", SER, DES).call("hi");
    } finally {
      withBaggage.close();
      inSpan.close();
      parent.end();
    }

    SpanData call = span(SpanKind.CLIENT, SERVICE + "/unary");
    SpanData attempt = span(SpanKind.INTERNAL, "Attempt." + SERVICE + "/unary");
    SpanData server = span(SpanKind.SERVER, SERVICE + "/unary");
    String trace = parent.getSpanContext().getTraceId();
    assertThat(List.of(call, attempt, server)).allMatch(s -> s.getTraceId().equals(trace));
    assertThat(call.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
    assertThat(attempt.getParentSpanId()).isEqualTo(call.getSpanId());
    assertThat(server.getParentSpanId()).isEqualTo(attempt.getSpanId());
    assertThat(server.getParentSpanContext().isRemote()).isTrue();
    assertThat(seenByHandler).containsExactly(trace + " blue");
    assertThat(server.getAttributes().get(Tracing.RPC_SERVICE)).isEqualTo(SERVICE);
    assertThat(server.getEvents())
        .extracting(ev -> ev.getName())
        .containsExactly("Inbound message", "Outbound message");
    assertThat(attempt.getEvents())
        .extracting(ev -> ev.getName())
        .containsExactly("Outbound message", "Inbound message");
  }

  @Test
  void everyCallStyle_hasItsServerSpanInTheCallersTrace_withAnEventPerMessage() {
    client
        .<String, String>clientStream("clientStream", SER, DES)
        .call(List.of("a", "b", "c").iterator());
    client.<String, String>serverStream("serverStream", SER, DES).call("x").stream().toList();
    client.<String, String>bidiStream("bidi", SER, DES).call(List.of("p", "q").iterator()).stream()
        .toList();

    for (var expected : Map.of("clientStream", 4, "serverStream", 3, "bidi", 4).entrySet()) {
      String name = SERVICE + "/" + expected.getKey();
      SpanData server = span(SpanKind.SERVER, name);
      SpanData call = span(SpanKind.CLIENT, name);
      assertThat(server.getTraceId()).as(name).isEqualTo(call.getTraceId());
      assertThat(server.getEvents()).as(name).hasSize(expected.getValue());
      assertThat(server.getAttributes().get(Tracing.RPC_STATUS)).as(name).isEqualTo(0L);
    }
  }

  @Test
  void grpcTraceBin_isTheParent_whenNoTraceparentCame() {
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    String spanId = "b7ad6b7169203331";
    byte[] bin = HexFormat.of().parseHex("00" + "00" + traceId + "01" + spanId + "0201");
    Client plain = new Client(ReferenceConfig.fromUrl(target + "/" + SERVICE));
    try {
      plain
          .<String, String>unary("unary", SER, DES)
          .call(
              "bin",
              CallOptions.DEFAULT.withHeaders(new Metadata().putBinary("grpc-trace-bin", bin)));
    } finally {
      plain.close();
    }

    SpanData server = span(SpanKind.SERVER, SERVICE + "/unary");
    assertThat(server.getTraceId()).isEqualTo(traceId);
    assertThat(server.getParentSpanId()).isEqualTo(spanId);
    assertThat(server.getSpanContext().isSampled()).isTrue();
  }

  private long gauge(String name) {
    return metric(name).getLongGaugeData().getPoints().iterator().next().getValue();
  }

  @Test
  void observedServerAndClient_gaugesOfConnectionsAndBufferedBytes() throws Exception {
    AutoCloseable serverGauges = telemetry.observe(server);
    AutoCloseable clientGauges = telemetry.observe(client, target);
    try {
      client.<String, String>unary("unary", SER, DES).call("connect");

      assertThat(gauge("tri4j.server.connection.open")).isEqualTo(1);
      assertThat(gauge("tri4j.server.buffered_bytes")).isZero();
      assertThat(
              metric("tri4j.client.buffered_bytes")
                  .getLongGaugeData()
                  .getPoints()
                  .iterator()
                  .next()
                  .getAttributes()
                  .get(AttributeKey.stringKey("grpc.target")))
          .isEqualTo(target);
    } finally {
      serverGauges.close();
      clientGauges.close();
    }
    assertThat(metrics.collectAllMetrics())
        .extracting(MetricData::getName)
        .doesNotContain("tri4j.server.connection.open");
  }

  @Test
  void withoutTracer_metricsStillRecorded_andNoTraceContextSent() {
    OpenTelemetry metricsOnly =
        new OpenTelemetry() {
          @Override
          public TracerProvider getTracerProvider() {
            return TracerProvider.noop();
          }

          @Override
          public MeterProvider getMeterProvider() {
            return sdk.getMeterProvider();
          }

          @Override
          public ContextPropagators getPropagators() {
            return ContextPropagators.noop();
          }
        };
    Tri4jOpenTelemetry plain = Tri4jOpenTelemetry.of(metricsOnly);
    Server untraced =
        new Server(
                ServerOptions.defaults().withInterceptors(plain.serverInterceptor()),
                new ServiceConfig(service()).withHost("127.0.0.1").withPort(0))
            .start();
    String untracedTarget = "tri://127.0.0.1:" + untraced.port();
    try (Client c =
        new Client(
            ReferenceConfig.fromUrl(untracedTarget + "/" + SERVICE)
                .withInterceptors(plain.clientInterceptor(untracedTarget)))) {
      c.<String, String>unary("unary", SER, DES).call("plain");
    } finally {
      untraced.close();
    }

    assertThat(seenByHandler)
        .containsExactly("00000000000000000000000000000000 null without traceparent");
    assertThat(spans.getFinishedSpanItems()).isEmpty();
    assertThat(attr(onlyPoint(metric("grpc.server.call.duration")), "grpc.status")).isEqualTo("OK");
    assertThat(attr(onlyPoint(metric("grpc.client.call.duration")), "grpc.target"))
        .isEqualTo(untracedTarget);
  }
}
