package io.tri4j.examples;

import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.tri4j.opentelemetry.Tri4jOpenTelemetry;

/**
 * The server's metrics in Prometheus text at {@code http://host:port/metrics}, through
 * OpenTelemetry's SDK and its Prometheus exporter: gRPC's standard metrics as {@link
 * Tri4jOpenTelemetry}'s interceptors record them.
 */
final class MetricsEndpoint implements AutoCloseable {
  private final OpenTelemetrySdk sdk;
  private final Tri4jOpenTelemetry telemetry;

  private MetricsEndpoint(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
    this.telemetry = Tri4jOpenTelemetry.of(sdk);
  }

  /** Serves {@code /metrics} on {@code host}:{@code port} until closed. */
  static MetricsEndpoint start(String host, int port) {
    PrometheusHttpServer prometheus =
        PrometheusHttpServer.builder().setHost(host).setPort(port).build();
    return new MetricsEndpoint(
        OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(prometheus).build())
            .build());
  }

  /** What records the metrics: its server interceptor goes on the server. */
  Tri4jOpenTelemetry telemetry() {
    return telemetry;
  }

  @Override
  public void close() {
    sdk.close();
  }
}
