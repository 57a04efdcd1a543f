package io.tri4j.services.health;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.Client;
import io.tri4j.ReadResult;
import io.tri4j.ReferenceConfig;
import io.tri4j.ResponseStream;
import io.tri4j.Server;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.services.health.v1.HealthCheckRequest;
import io.tri4j.services.health.v1.HealthCheckResponse;
import io.tri4j.services.health.v1.HealthCheckResponse.ServingStatus;
import io.tri4j.services.health.v1.HealthListRequest;
import io.tri4j.services.health.v1.HealthTri4j;
import io.tri4j.testing.Closer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HealthStatusManagerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final Closer closer = new Closer();

  private HealthStatusManager health;
  private Server server;
  private HealthTri4j.HealthStub stub;

  @BeforeEach
  void start() {
    health = new HealthStatusManager();
    server =
        closer.add(
            new Server(new ServiceConfig(health.serviceHandler()).withHost("127.0.0.1").withPort(0))
                .start());
    server.addShutdownListener(health::enterTerminalState);
    Client client =
        closer.add(
            new Client(
                ReferenceConfig.fromUrl(
                    "tri://127.0.0.1:" + server.port() + "/" + HealthTri4j.SERVICE_NAME)));
    stub = new HealthTri4j.HealthStub(client);
  }

  private static HealthCheckRequest request(String service) {
    return HealthCheckRequest.newBuilder().setService(service).build();
  }

  private ServingStatus check(String service) {
    return stub.check(request(service)).getStatus();
  }

  private static ServingStatus next(ResponseStream<HealthCheckResponse> watch) {
    ReadResult<HealthCheckResponse> result = watch.read(WAIT);
    assertThat(result.kind()).isEqualTo(ReadResult.Kind.MESSAGE);
    return result.message().getStatus();
  }

  @Test
  void check_theServer_servingFromTheStart() {
    assertThat(check(HealthStatusManager.SERVICE_NAME_ALL_SERVICES))
        .isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void check_unknownService_notFoundNamingIt() {
    assertStatus(() -> check("test.Nobody"), Status.Code.NOT_FOUND, "'test.Nobody'");
  }

  @Test
  void setStatus_thenCheck_thatStatus() {
    health.setStatus("test.Echo", ServingStatus.NOT_SERVING);
    assertThat(check("test.Echo")).isEqualTo(ServingStatus.NOT_SERVING);

    health.setStatus("test.Echo", ServingStatus.SERVING);
    assertThat(check("test.Echo")).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void clearStatus_thenCheck_notFound() {
    health.setStatus("test.Echo", ServingStatus.SERVING);

    health.clearStatus("test.Echo");

    assertStatus(() -> check("test.Echo"), Status.Code.NOT_FOUND, "test.Echo");
  }

  @Test
  void setStatus_serviceUnknown_illegalArgumentPointingToClearStatus() {
    assertThatThrownBy(() -> health.setStatus("test.Echo", ServingStatus.SERVICE_UNKNOWN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clearStatus");
  }

  @Test
  void watch_currentStatusThenEachChange_unchangedStatusNotSentAgain() {
    try (ResponseStream<HealthCheckResponse> watch = stub.watch(request("test.Echo"))) {
      assertThat(next(watch)).isEqualTo(ServingStatus.SERVICE_UNKNOWN);

      health.setStatus("test.Echo", ServingStatus.SERVING);
      health.setStatus("test.Echo", ServingStatus.SERVING);
      health.setStatus("test.Echo", ServingStatus.NOT_SERVING);
      health.clearStatus("test.Echo");
      health.setStatus("test.Other", ServingStatus.NOT_SERVING);
      health.setStatus("test.Echo", ServingStatus.UNKNOWN);

      assertThat(next(watch)).isEqualTo(ServingStatus.SERVING);
      assertThat(next(watch)).isEqualTo(ServingStatus.NOT_SERVING);
      assertThat(next(watch)).isEqualTo(ServingStatus.SERVICE_UNKNOWN);
      assertThat(next(watch)).isEqualTo(ServingStatus.UNKNOWN);
    }
  }

  @Test
  void watch_cancelledByTheClient_watcherForgotten() throws InterruptedException {
    ResponseStream<HealthCheckResponse> watch = stub.watch(request("test.Echo"));
    assertThat(next(watch)).isEqualTo(ServingStatus.SERVICE_UNKNOWN);
    assertThat(health.watcherCount("test.Echo")).isEqualTo(1);

    watch.cancel("done watching");

    long deadline = System.nanoTime() + WAIT.toNanos();
    while (health.watcherCount("test.Echo") > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(health.watcherCount("test.Echo")).isZero();
    health.setStatus("test.Echo", ServingStatus.SERVING);
    assertThat(check("test.Echo")).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void list_everyKnownServiceWithItsStatus() {
    health.setStatus("test.Echo", ServingStatus.NOT_SERVING);

    Map<String, HealthCheckResponse> statuses =
        stub.list(HealthListRequest.getDefaultInstance()).getStatusesMap();

    assertThat(statuses)
        .containsOnlyKeys("", "test.Echo")
        .hasEntrySatisfying("", r -> assertThat(r.getStatus()).isEqualTo(ServingStatus.SERVING))
        .hasEntrySatisfying(
            "test.Echo", r -> assertThat(r.getStatus()).isEqualTo(ServingStatus.NOT_SERVING));
  }

  @Test
  void list_moreServicesThanTheLimit_resourceExhausted() {
    for (int i = 0; i < HealthStatusManager.MAX_LISTED_SERVICES; i++) {
      health.setStatus("test.Service" + i, ServingStatus.SERVING);
    }

    assertStatus(
        () -> stub.list(HealthListRequest.getDefaultInstance()),
        Status.Code.RESOURCE_EXHAUSTED,
        "one by one");
  }

  @Test
  void enterTerminalState_everythingNotServing_watchersTold_laterChangesIgnored() {
    health.setStatus("test.Echo", ServingStatus.SERVING);
    try (ResponseStream<HealthCheckResponse> watch = stub.watch(request(""))) {
      assertThat(next(watch)).isEqualTo(ServingStatus.SERVING);

      health.enterTerminalState();
      health.setStatus("test.Echo", ServingStatus.SERVING);
      health.clearStatus("test.Echo");

      assertThat(next(watch)).isEqualTo(ServingStatus.NOT_SERVING);
      assertThat(check("")).isEqualTo(ServingStatus.NOT_SERVING);
      assertThat(check("test.Echo")).isEqualTo(ServingStatus.NOT_SERVING);
    }
  }

  @Test
  void serverShutdown_asAShutdownListener_watchersToldNotServingWhileTheWatchDrains() {
    try (ResponseStream<HealthCheckResponse> watch = stub.watch(request(""))) {
      assertThat(next(watch)).isEqualTo(ServingStatus.SERVING);

      server.shutdown();

      // The watch was running when the shutdown began: it drains, and hears first.
      assertThat(next(watch)).isEqualTo(ServingStatus.NOT_SERVING);
    }
  }
}
