package io.tri4j.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.tri4j.Client;
import io.tri4j.ReferenceConfig;
import io.tri4j.RpcMethodHandler;
import io.tri4j.RpcServiceHandler;
import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.StatusException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's metrics where gRFC A66 is particular: calls to methods the server does not serve,
 * and the time a call waits for a thread.
 */
@Timeout(60)
class ServerTelemetryTest {
  private static final String SERVICE = Tri4jOpenTelemetryTest.SERVICE;

  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final CountDownLatch blocking = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private OpenTelemetrySdk sdk;
  private ExecutorService oneThread;
  private Server server;
  private Client client;

  @BeforeEach
  void start() {
    sdk =
        OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .build();
    oneThread = Executors.newSingleThreadExecutor();
    RpcServiceHandler service =
        new RpcServiceHandler(
            SERVICE,
            Map.of(
                "block",
                RpcMethodHandler.unary(
                    (String r) -> {
                      blocking.countDown();
                      release.await();
                      return r;
                    },
                    Tri4jOpenTelemetryTest.DES,
                    Tri4jOpenTelemetryTest.SER),
                "quick",
                RpcMethodHandler.unary(
                    (String r) -> r, Tri4jOpenTelemetryTest.DES, Tri4jOpenTelemetryTest.SER)));
    server =
        new Server(
                ServerOptions.defaults()
                    .withExecutor(oneThread)
                    .withInterceptors(Tri4jOpenTelemetry.of(sdk).serverInterceptor()),
                new ServiceConfig(service).withHost("127.0.0.1").withPort(0))
            .start();
    client =
        new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/" + SERVICE));
  }

  @AfterEach
  void stop() {
    release.countDown();
    client.close();
    server.close();
    oneThread.shutdownNow();
    sdk.close();
  }

  private List<PointData> points(String name) {
    Collection<MetricData> all = metrics.collectAllMetrics();
    MetricData metric =
        all.stream()
            .filter(m -> m.getName().equals(name))
            .findFirst()
            .orElseThrow(() -> new AssertionError(name + " not in " + all));
    return new ArrayList<>(metric.getData().getPoints());
  }

  private static String method(PointData p) {
    return p.getAttributes().get(AttributeKey.stringKey("grpc.method"));
  }

  @Test
  void unknownMethods_areRecordedAsOther_inOneSeries_howeverManyPathsClientsMakeUp() {
    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      calls.add(
          client
              .unary("missing" + i, Tri4jOpenTelemetryTest.SER, Tri4jOpenTelemetryTest.DES)
              .callAsync("x"));
    }
    for (CompletableFuture<String> call : calls) {
      assertThat(call)
          .failsWithin(20, TimeUnit.SECONDS)
          .withThrowableThat()
          .havingRootCause()
          .isInstanceOfSatisfying(
              StatusException.class,
              e -> assertThat(e.getStatus().code()).isEqualTo(Status.Code.UNIMPLEMENTED));
    }

    List<PointData> started = points("grpc.server.call.started");
    assertThat(started).singleElement().extracting(ServerTelemetryTest::method).isEqualTo("other");
    assertThat(((LongPointData) started.get(0)).getValue()).isEqualTo(1000);
    List<PointData> duration = points("grpc.server.call.duration");
    assertThat(duration).singleElement().extracting(ServerTelemetryTest::method).isEqualTo("other");
    HistogramPointData ended = (HistogramPointData) duration.get(0);
    assertThat(ended.getCount()).isEqualTo(1000);
    assertThat(ended.getAttributes().get(AttributeKey.stringKey("grpc.status")))
        .isEqualTo("UNIMPLEMENTED");
  }

  @Test
  void callDuration_countsFromTheRequestHeaders_includingTheWaitForAThread() throws Exception {
    CompletableFuture<String> blocked =
        client
            .unary("block", Tri4jOpenTelemetryTest.SER, Tri4jOpenTelemetryTest.DES)
            .callAsync("b");
    assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue(); // the server's one thread is busy
    CompletableFuture<String> queued =
        client
            .unary("quick", Tri4jOpenTelemetryTest.SER, Tri4jOpenTelemetryTest.DES)
            .callAsync("queued");
    // Its request waits in the server's buffers: the headers came before it.
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.bytesHeld() == 0) {
      assertThat(System.nanoTime() - end).as("the request reached the server").isNegative();
      Thread.sleep(5);
    }
    long waited = System.nanoTime();
    Thread.sleep(300);
    long queuedNanos = System.nanoTime() - waited;
    release.countDown();

    assertThat(blocked.get(10, TimeUnit.SECONDS)).isEqualTo("b");
    assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo("queued");
    HistogramPointData quick =
        points("grpc.server.call.duration").stream()
            .filter(p -> method(p).equals(SERVICE + "/quick"))
            .map(HistogramPointData.class::cast)
            .findFirst()
            .orElseThrow();
    // The interceptor ran only once the thread was free; the call had been waiting since before.
    assertThat(quick.getSum()).isGreaterThanOrEqualTo(queuedNanos / 1e9);
  }
}
