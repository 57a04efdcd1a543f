package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.testing.LogCapture;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Server lifecycle: start, several services and ports, graceful and immediate shutdown. */
@Timeout(60)
class ServerTest {

  private static ServiceConfig loopback(RpcServiceHandler service) {
    return new ServiceConfig(service).withHost("127.0.0.1").withPort(0);
  }

  private static RpcServiceHandler service(String name, RpcMethodHandler<String, String> method) {
    return new RpcServiceHandler(name, Map.of("m", method));
  }

  private static RpcMethodHandler<String, String> unary(RpcMethodHandler.Unary<String, String> h) {
    return RpcMethodHandler.unary(h, EchoService.DES, EchoService.SER);
  }

  private static String call(int port, String service, String request) {
    try (Client client =
        new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + port + "/" + service))) {
      return client.unary("m", EchoService.SER, EchoService.DES).call(request);
    }
  }

  @Test
  void severalServicesOnOnePort_areAllServed() {
    ServiceConfig a = loopback(service("svc.A", unary(s -> "A:" + s)));
    ServiceConfig b = loopback(service("svc.B", unary(s -> "B:" + s)));
    try (Server both = new Server(a, b).start()) {
      assertThat(both.addresses()).hasSize(1);
      assertThat(call(both.port(), "svc.A", "x")).isEqualTo("A:x");
      assertThat(call(both.port(), "svc.B", "y")).isEqualTo("B:y");
    }
  }

  @Test
  void servicesOnTwoPorts_eachServedOnItsOwn() throws Exception {
    int[] ports = new int[2];
    // Both held open while the ports are chosen, so that the two are different.
    try (java.net.ServerSocket first = new java.net.ServerSocket(0);
        java.net.ServerSocket second = new java.net.ServerSocket(0)) {
      ports[0] = first.getLocalPort();
      ports[1] = second.getLocalPort();
    }
    try (Server server =
        new Server(
                loopback(service("svc.A", unary(s -> "A:" + s))).withPort(ports[0]),
                loopback(service("svc.B", unary(s -> "B:" + s))).withPort(ports[1]))
            .start()) {
      assertThat(server.addresses()).hasSize(2);
      int portA = server.addresses().get(0).getPort();
      int portB = server.addresses().get(1).getPort();
      assertThat(call(portA, "svc.A", "1")).isEqualTo("A:1");
      assertThat(call(portB, "svc.B", "2")).isEqualTo("B:2");
      assertThatThrownBy(() -> call(portA, "svc.B", "3"))
          .isInstanceOfSatisfying(
              StatusException.class,
              e -> assertThat(e.getStatus().code()).isEqualTo(Status.Code.UNIMPLEMENTED));
    }
  }

  @Test
  void sameServiceTwiceOnOnePort_isRejected() {
    ServiceConfig a = loopback(service("svc.A", unary(s -> s))).withPort(0);
    assertThatThrownBy(() -> new Server(a, a).start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("svc.A");
  }

  @Test
  void portInUse_startFailsWithTheAddress() {
    try (Server first = new Server(loopback(service("svc.A", unary(s -> s)))).start()) {
      Server second = new Server(loopback(service("svc.B", unary(s -> s))).withPort(first.port()));
      assertThatThrownBy(second::start)
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining(Integer.toString(first.port()));
    }
  }

  @Test
  void shutdown_letsRunningCallFinish_andRefusesNewConnections() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Server server =
        new Server(
                loopback(
                    service(
                        "svc.Slow",
                        unary(
                            s -> {
                              entered.countDown();
                              release.await();
                              return "finished " + s;
                            }))))
            .start();
    int port = server.port();
    CompletableFuture<String> running =
        CompletableFuture.supplyAsync(() -> call(port, "svc.Slow", "late"));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    server.shutdown();
    assertThat(server.awaitTermination(Duration.ofMillis(200))).isFalse();
    assertThatThrownBy(() -> call(port, "svc.Slow", "new"))
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> assertThat(e.getStatus().code()).isEqualTo(Status.Code.UNAVAILABLE));

    release.countDown();
    assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("finished late");
    assertThat(server.awaitTermination(Duration.ofSeconds(10))).isTrue();
    assertThat(server.isTerminated()).isTrue();
  }

  @Test
  void shutdownNow_cancelsRunningCalls() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    Server server =
        new Server(
                loopback(
                    new RpcServiceHandler(
                        "svc.Stream",
                        Map.of(
                            "m",
                            RpcMethodHandler.<String, String>serverStream(
                                (request, replies) -> {
                                  for (int i = 0; ; i++) {
                                    replies.write("tick " + i);
                                    started.countDown();
                                    Thread.sleep(10);
                                  }
                                },
                                EchoService.DES,
                                EchoService.SER)))))
            .start();
    try (Client client =
        new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/svc.Stream"))) {
      ReadStream<String> ticks =
          client.serverStream("m", EchoService.SER, EchoService.DES).call("go");
      assertThat(ticks.read()).isEqualTo("tick 0");
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      server.shutdownNow();
      assertThatThrownBy(
              () -> {
                while (ticks.read() != null) {
                  // drain what arrived before the connection closed
                }
              })
          .isInstanceOfSatisfying(
              StatusException.class,
              e -> assertThat(e.getStatus().code()).isEqualTo(Status.Code.UNAVAILABLE));
      assertThat(server.awaitTermination(Duration.ofSeconds(10))).isTrue();
    }
  }

  @Test
  void shutdownNow_blockingHandlersRunning_logsNoWarning() throws Exception {
    int calls = 3;
    CountDownLatch running = new CountDownLatch(calls);
    CountDownLatch ended = new CountDownLatch(calls);
    CountDownLatch never = new CountDownLatch(1);
    Server server =
        new Server(
                loopback(
                    service(
                        "svc.Wait",
                        unary(
                            request -> {
                              running.countDown();
                              try {
                                never.await(); // interrupted by shutdownNow
                                return request;
                              } finally {
                                ended.countDown();
                              }
                            }))))
            .start();
    try (Client client =
        new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/svc.Wait"))) {
      UnaryCallable<String, String> waiting = client.unary("m", EchoService.SER, EchoService.DES);
      List<CompletableFuture<String>> futures = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        futures.add(waiting.callAsync("call " + i));
      }
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      try (LogCapture logs = LogCapture.open()) {
        server.shutdownNow();
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(server.awaitTermination(Duration.ofSeconds(10))).isTrue();
        for (CompletableFuture<String> future : futures) {
          assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
              .hasCauseInstanceOf(StatusException.class);
        }
        assertThat(logs.events()).isEmpty();
      }
    }
  }

  @Test
  void shutdown_afterCallEndedOk_slowReaderStillGetsEveryMessage() {
    Server server =
        new Server(
                loopback(
                    new RpcServiceHandler(
                        "svc.Many",
                        Map.of(
                            "m",
                            RpcMethodHandler.<String, String>serverStream(
                                (request, replies) -> {
                                  for (int i = 0; i < 200; i++) {
                                    replies.write("m" + i);
                                  }
                                },
                                EchoService.DES,
                                EchoService.SER)))))
            .start();
    try (Client client =
        new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/svc.Many"))) {
      ResponseStream<String> replies =
          client.serverStream("m", EchoService.SER, EchoService.DES).call("go");
      assertThat(replies.read()).isEqualTo("m0");
      assertThat(replies.trailers().isEmpty()).as("the call has ended OK").isTrue();
      server.close(); // the connection closes while most messages are still unread
      int count = 1;
      for (String reply : replies) {
        assertThat(reply).isEqualTo("m" + count++);
      }
      assertThat(count).isEqualTo(200);
    }
  }

  @Test
  void start_twice_isIllegalState() {
    try (Server server = new Server(loopback(service("svc.A", unary(s -> s)))).start()) {
      assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }
  }
}
