package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.opentelemetry.GrpcOpenTelemetry;
import io.grpc.opentelemetry.InternalGrpcOpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tri4j.Client;
import io.tri4j.ReferenceConfig;
import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServiceConfig;
import io.tri4j.examples.GreeterService;
import io.tri4j.opentelemetry.Tri4jOpenTelemetry;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.dubbo.samples.proto.GreeterGrpc;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The trace context crosses between grpc-java (with its OpenTelemetry module, tracing on) and tri4j
 * both ways over loopback: each side records into an SDK of its own, and the server's span
 * continues the client's trace, as the child of the client's attempt.
 */
@Timeout(60)
class OpenTelemetryInteropTest {
  private final InMemorySpanExporter grpcSpans = InMemorySpanExporter.create();
  private final InMemorySpanExporter tri4jSpans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk grpcSdk = sdk(grpcSpans);
  private final OpenTelemetrySdk tri4jSdk = sdk(tri4jSpans);

  private static OpenTelemetrySdk sdk(InMemorySpanExporter spans) {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
  }

  private GrpcOpenTelemetry grpcOpenTelemetry() {
    GrpcOpenTelemetry.Builder builder = GrpcOpenTelemetry.newBuilder().sdk(grpcSdk);
    InternalGrpcOpenTelemetry.enableTracing(builder, true);
    return builder.build();
  }

  @AfterEach
  void close() {
    grpcSdk.close();
    tri4jSdk.close();
  }

  private static SpanData only(InMemorySpanExporter exporter, SpanKind kind) {
    List<SpanData> spans =
        exporter.getFinishedSpanItems().stream().filter(s -> s.getKind() == kind).toList();
    assertThat(spans).as("%s spans in %s", kind, exporter.getFinishedSpanItems()).hasSize(1);
    return spans.get(0);
  }

  @Test
  void grpcJavaClient_toTri4jServer_serverSpanContinuesTheClientsTrace() throws Exception {
    Tri4jOpenTelemetry telemetry = Tri4jOpenTelemetry.of(tri4jSdk);
    Server server =
        new Server(
                ServerOptions.defaults().withInterceptors(telemetry.serverInterceptor()),
                new ServiceConfig(GreeterService.handler()).withHost("127.0.0.1").withPort(0))
            .start();
    NettyChannelBuilder channelBuilder =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext();
    grpcOpenTelemetry().configureChannelBuilder(channelBuilder);
    ManagedChannel channel = channelBuilder.build();
    try {
      GreeterReply reply =
          GreeterGrpc.newBlockingStub(channel)
              .greet(GreeterRequest.newBuilder().setName("otel").build());
      assertThat(reply.getMessage()).isEqualTo("hello otel");
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      server.close();
    }

    SpanData tri4jServer = only(tri4jSpans, SpanKind.SERVER);
    List<SpanData> grpcClientSide = grpcSpans.getFinishedSpanItems();
    assertThat(grpcClientSide).isNotEmpty();
    assertThat(tri4jServer.getTraceId()).isEqualTo(grpcClientSide.get(0).getTraceId());
    assertThat(grpcClientSide)
        .extracting(SpanData::getSpanId)
        .contains(tri4jServer.getParentSpanId());
  }

  @Test
  void tri4jClient_toGrpcJavaServer_serverSpanContinuesTheAttempt() throws Exception {
    NettyServerBuilder serverBuilder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new GrpcJavaGreeter());
    grpcOpenTelemetry().configureServerBuilder(serverBuilder);
    io.grpc.Server grpcServer = serverBuilder.build().start();
    String target = "tri://127.0.0.1:" + grpcServer.getPort();
    try (Client client =
        new Client(
            ReferenceConfig.fromUrl(target + "/" + GreeterTri4j.SERVICE_NAME)
                .withInterceptors(Tri4jOpenTelemetry.of(tri4jSdk).clientInterceptor(target)))) {
      GreeterReply reply =
          client
              .unary("greet", GreeterRequest::toByteArray, GreeterReply::parseFrom)
              .call(GreeterRequest.newBuilder().setName("grpc").build());
      assertThat(reply.getMessage()).isEqualTo("hello grpc");
    } finally {
      grpcServer.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    SpanData attempt = only(tri4jSpans, SpanKind.INTERNAL);
    List<SpanData> grpcServerSide = grpcSpans.getFinishedSpanItems();
    assertThat(grpcServerSide)
        .as("grpc-java's server span")
        .anySatisfy(
            s -> {
              assertThat(s.getTraceId()).isEqualTo(attempt.getTraceId());
              assertThat(s.getParentSpanId()).isEqualTo(attempt.getSpanId());
            });
  }
}
