package io.tri4j.benchmarks;

import io.grpc.benchmarks.Utils;
import io.grpc.benchmarks.proto.Messages;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.grpc.benchmarks.proto.Messages.SimpleResponse;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.tri4j.CallOptions;
import io.tri4j.Client;
import io.tri4j.ClientCall;
import io.tri4j.ClientInterceptor;
import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.Protobuf;
import io.tri4j.ReferenceConfig;
import io.tri4j.Server;
import io.tri4j.ServerCall;
import io.tri4j.ServerCallHandler;
import io.tri4j.ServerInterceptor;
import io.tri4j.ServerOptions;
import io.tri4j.ServiceConfig;
import io.tri4j.UnaryCallable;
import io.tri4j.opentelemetry.Tri4jOpenTelemetry;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What tri4j's OpenTelemetry interceptors cost per call: one blocking unary call over the in-memory
 * transport, client and server in this JVM: without interceptors; with interceptors that pass
 * everything on (the interceptor chains' own cost); with metrics only; with metrics and tracing
 * (every span recorded, exported in batches to nowhere). Both sides are instrumented. Run with
 * {@code -prof gc} for the bytes allocated per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class TelemetryBenchmark {
  @Param({"none", "passThrough", "metrics", "metricsAndTracing"})
  public String telemetry;

  private OpenTelemetrySdk sdk;
  private Server server;
  private Client client;
  private UnaryCallable<SimpleRequest, SimpleResponse> call;
  private SimpleRequest request;

  @Setup(Level.Trial)
  public void setUp() {
    String name = "telemetry-benchmark-" + telemetry;
    ServiceConfig service = new ServiceConfig(BenchmarkService.handler()).withInMemoryName(name);
    ReferenceConfig reference = ReferenceConfig.forInMemory(name, BenchmarkService.NAME);
    ServerOptions options = ServerOptions.defaults();
    if (telemetry.equals("passThrough")) {
      options = options.withInterceptors(PassThrough.SERVER);
      reference = reference.withInterceptors(PassThrough.CLIENT);
    } else if (!telemetry.equals("none")) {
      sdk =
          OpenTelemetrySdk.builder()
              .setMeterProvider(
                  SdkMeterProvider.builder()
                      .registerMetricReader(PeriodicMetricReader.create(new DiscardingMetrics()))
                      .build())
              .setTracerProvider(
                  SdkTracerProvider.builder()
                      .addSpanProcessor(
                          BatchSpanProcessor.builder(SpanExporter.composite()).build())
                      .build())
              .build();
      OpenTelemetry used = telemetry.equals("metrics") ? metricsOnly(sdk.getMeterProvider()) : sdk;
      Tri4jOpenTelemetry instrumented = Tri4jOpenTelemetry.of(used);
      options = options.withInterceptors(instrumented.serverInterceptor());
      reference = reference.withInterceptors(instrumented.clientInterceptor("in-memory:" + name));
    }
    server = new Server(options, service).start();
    client = new Client(reference);
    call =
        client.unary(
            "UnaryCall", Protobuf.serializer(), Protobuf.deserializer(SimpleResponse.parser()));
    request = Utils.makeRequest(Messages.PayloadType.COMPRESSABLE, 64, 64);
  }

  /** The SDK's metrics, no tracer: what an application that only scrapes metrics pays. */
  private static OpenTelemetry metricsOnly(MeterProvider meters) {
    return new OpenTelemetry() {
      @Override
      public TracerProvider getTracerProvider() {
        return TracerProvider.noop();
      }

      @Override
      public MeterProvider getMeterProvider() {
        return meters;
      }

      @Override
      public ContextPropagators getPropagators() {
        return ContextPropagators.noop();
      }
    };
  }

  /** Collects the metrics every minute (the reader's default) and drops them. */
  private static final class DiscardingMetrics implements MetricExporter {
    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType type) {
      return AggregationTemporality.CUMULATIVE;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    client.close();
    server.close();
    if (sdk != null) {
      sdk.close();
    }
  }

  @Benchmark
  public SimpleResponse unaryCall() {
    return call.call(request);
  }

  /** Interceptors that change nothing. */
  private static final class PassThrough {
    static final ServerInterceptor SERVER =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            return next.startCall(call, headers);
          }
        };
    static final ClientInterceptor CLIENT =
        new ClientInterceptor() {
          @Override
          public <Q, R> ClientCall<Q, R> interceptCall(
              MethodInfo method, CallOptions options, ClientCall.Factory<Q, R> next) {
            return next.newCall(options);
          }
        };
  }
}
