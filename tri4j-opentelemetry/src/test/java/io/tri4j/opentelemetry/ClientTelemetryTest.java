package io.tri4j.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tri4j.CallOptions;
import io.tri4j.ClientCall;
import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.MethodType;
import io.tri4j.Status;
import io.tri4j.StreamTracer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client call retried below the interceptors, played by a scripted call: no network. */
class ClientTelemetryTest {
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .build();

  @AfterEach
  void close() {
    sdk.close();
  }

  /** Starts three attempts (the second a transparent retry), each with its own headers. */
  private static final class ThreeAttempts extends ClientCall<String, String> {
    final CallOptions options;
    final List<Metadata> attemptHeaders = new ArrayList<>();

    ThreeAttempts(CallOptions options) {
      this.options = options;
    }

    @Override
    public void start(Listener<String> listener, Metadata headers) {
      StreamTracer.Factory factory = options.streamTracers().get(0);
      Status.Code[] ends = {Status.Code.UNAVAILABLE, Status.Code.UNAVAILABLE, Status.Code.OK};
      for (int i = 0; i < 3; i++) {
        Metadata own = new Metadata(headers);
        attemptHeaders.add(own);
        StreamTracer tracer = factory.newAttempt(i, i == 1, own);
        tracer.outboundMessage(10);
        if (i == 2) {
          tracer.inboundMessage(20);
        }
        tracer.attemptClosed(ends[i].toStatus());
      }
      listener.onClose(Status.OK, new Metadata());
    }

    @Override
    public void request(int n) {}

    @Override
    public void sendMessage(String message) {}

    @Override
    public void halfClose() {}

    @Override
    public void cancel(String message, Throwable cause) {}
  }

  private MetricData metric(String name) {
    return metrics.collectAllMetrics().stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name));
  }

  @Test
  void retriedCall_recordsEachAttempt_andTheRetries_andSendsEachAttemptsOwnContext() {
    List<ThreeAttempts> made = new ArrayList<>();
    ClientCall<String, String> call =
        Tri4jOpenTelemetry.of(sdk)
            .clientInterceptor("tri://example:1")
            .interceptCall(
                new MethodInfo("svc.S", "m", MethodType.UNARY),
                CallOptions.DEFAULT,
                options -> {
                  ThreeAttempts attempts = new ThreeAttempts(options);
                  made.add(attempts);
                  return attempts;
                });

    call.start(new ClientCall.Listener<>() {}, new Metadata());

    assertThat(
            metric("grpc.client.attempt.started")
                .getLongSumData()
                .getPoints()
                .iterator()
                .next()
                .getValue())
        .isEqualTo(3);
    assertThat(metric("grpc.client.attempt.duration").getHistogramData().getPoints())
        .extracting(
            p -> p.getAttributes().get(AttributeKey.stringKey("grpc.status")) + "=" + p.getCount())
        .containsExactlyInAnyOrder("UNAVAILABLE=2", "OK=1");
    assertThat(
            metric("grpc.client.attempt.rcvd_total_compressed_message_size")
                .getHistogramData()
                .getPoints())
        .extracting(HistogramPointData::getSum)
        .containsExactlyInAnyOrder(0.0, 20.0);
    assertThat(only(metric("grpc.client.call.retries")).getSum()).isEqualTo(1);
    assertThat(only(metric("grpc.client.call.transparent_retries")).getSum()).isEqualTo(1);
    assertThat(only(metric("grpc.client.call.duration")).getCount()).isEqualTo(1);

    List<SpanData> attempts =
        spans.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals("Attempt.svc.S/m"))
            .toList();
    assertThat(attempts).hasSize(3);
    assertThat(made.get(0).attemptHeaders)
        .extracting(h -> h.get("traceparent").substring(0, 52))
        .containsExactly(
            attempts.stream()
                .map(s -> "00-" + s.getTraceId() + "-" + s.getSpanId())
                .toArray(String[]::new));
    assertThat(attempts)
        .extracting(s -> s.getAttributes().get(Tracing.TRANSPARENT))
        .containsExactly(false, true, false);
  }

  private static HistogramPointData only(MetricData histogram) {
    assertThat(histogram.getHistogramData().getPoints()).hasSize(1);
    return histogram.getHistogramData().getPoints().iterator().next();
  }
}
