package io.tri4j.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;

/**
 * gRPC's standard instruments (gRFC A66, and A96's retry counts), with the names, units and bucket
 * boundaries gRPC's own libraries use, so that one dashboard reads gRPC and tri4j alike; and
 * tri4j's own counts of calls in progress.
 */
final class Instruments {
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("grpc.method");
  static final AttributeKey<String> STATUS = AttributeKey.stringKey("grpc.status");
  static final AttributeKey<String> TARGET = AttributeKey.stringKey("grpc.target");

  /** Seconds: fine below a millisecond, where unary calls on one host land. */
  static final List<Double> LATENCY_BUCKETS =
      List.of(
          0.0, 0.00001, 0.00005, 0.0001, 0.0003, 0.0006, 0.0008, 0.001, 0.002, 0.003, 0.004, 0.005,
          0.006, 0.008, 0.01, 0.013, 0.016, 0.02, 0.025, 0.03, 0.04, 0.05, 0.065, 0.08, 0.1, 0.13,
          0.16, 0.2, 0.25, 0.3, 0.4, 0.5, 0.65, 0.8, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0);

  /** Bytes: powers of four from 1 KiB to 4 GiB. */
  static final List<Long> SIZE_BUCKETS =
      List.of(
          0L,
          1024L,
          2048L,
          4096L,
          16384L,
          65536L,
          262144L,
          1048576L,
          4194304L,
          16777216L,
          67108864L,
          268435456L,
          1073741824L,
          4294967296L);

  static final List<Long> RETRY_BUCKETS = List.of(1L, 2L, 3L, 4L, 5L);
  static final List<Long> TRANSPARENT_RETRY_BUCKETS = List.of(1L, 2L, 3L, 4L, 5L, 10L);

  final LongCounter serverCallStarted;
  final DoubleHistogram serverCallDuration;
  final LongHistogram serverSent;
  final LongHistogram serverReceived;
  final LongUpDownCounter serverCallsActive;

  final LongCounter clientAttemptStarted;
  final DoubleHistogram clientAttemptDuration;
  final LongHistogram clientAttemptSent;
  final LongHistogram clientAttemptReceived;
  final DoubleHistogram clientCallDuration;
  final LongHistogram clientCallRetries;
  final LongHistogram clientCallTransparentRetries;
  final LongUpDownCounter clientCallsActive;

  Instruments(Meter meter) {
    serverCallStarted =
        meter
            .counterBuilder("grpc.server.call.started")
            .setUnit("{call}")
            .setDescription("Number of server calls started.")
            .build();
    serverCallDuration =
        latency(
            meter,
            "grpc.server.call.duration",
            "Time from the receipt of a call's request headers to its status sent.");
    serverSent =
        size(
            meter,
            "grpc.server.call.sent_total_compressed_message_size",
            "Bytes of the messages a server call sent, compressed as sent.");
    serverReceived =
        size(
            meter,
            "grpc.server.call.rcvd_total_compressed_message_size",
            "Bytes of the messages a server call received, compressed as received.");
    serverCallsActive =
        meter
            .upDownCounterBuilder("tri4j.server.call.active")
            .setUnit("{call}")
            .setDescription("Server calls in progress.")
            .build();

    clientAttemptStarted =
        meter
            .counterBuilder("grpc.client.attempt.started")
            .setUnit("{attempt}")
            .setDescription("Number of client call attempts started.")
            .build();
    clientAttemptDuration =
        latency(meter, "grpc.client.attempt.duration", "Time from an attempt's start to its end.");
    clientAttemptSent =
        size(
            meter,
            "grpc.client.attempt.sent_total_compressed_message_size",
            "Bytes of the messages an attempt sent, compressed as sent.");
    clientAttemptReceived =
        size(
            meter,
            "grpc.client.attempt.rcvd_total_compressed_message_size",
            "Bytes of the messages an attempt received, compressed as received.");
    clientCallDuration =
        latency(
            meter,
            "grpc.client.call.duration",
            "Time from the application's start of a call to its status, all attempts included.");
    clientCallRetries =
        count(
            meter,
            "grpc.client.call.retries",
            "{retry}",
            "Retries of a client call, transparent ones left out; calls without any not recorded.",
            RETRY_BUCKETS);
    clientCallTransparentRetries =
        count(
            meter,
            "grpc.client.call.transparent_retries",
            "{transparent_retry}",
            "Transparent retries of a client call; calls without any not recorded.",
            TRANSPARENT_RETRY_BUCKETS);
    clientCallsActive =
        meter
            .upDownCounterBuilder("tri4j.client.call.active")
            .setUnit("{call}")
            .setDescription("Client calls in progress.")
            .build();
  }

  private static DoubleHistogram latency(Meter meter, String name, String description) {
    return meter
        .histogramBuilder(name)
        .setUnit("s")
        .setDescription(description)
        .setExplicitBucketBoundariesAdvice(LATENCY_BUCKETS)
        .build();
  }

  private static LongHistogram size(Meter meter, String name, String description) {
    return count(meter, name, "By", description, SIZE_BUCKETS);
  }

  private static LongHistogram count(
      Meter meter, String name, String unit, String description, List<Long> buckets) {
    return meter
        .histogramBuilder(name)
        .ofLongs()
        .setUnit(unit)
        .setDescription(description)
        .setExplicitBucketBoundariesAdvice(buckets)
        .build();
  }
}
