package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connection-wide limits of a server, and the rich-error trailer. */
@Timeout(30)
class ConnectionLimitsTest {

  @Test
  void maxConcurrentStreams_queuesExtraCallsOnTheClient_andAllComplete() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    RpcServiceHandler service =
        new RpcServiceHandler(
            "limits.Slow",
            Map.of(
                "m",
                RpcMethodHandler.<String, String>unary(
                    r -> {
                      int now = running.incrementAndGet();
                      maxRunning.accumulateAndGet(now, Math::max);
                      Thread.sleep(100);
                      running.decrementAndGet();
                      return r;
                    },
                    EchoService.DES,
                    EchoService.SER)));
    try (Server server =
            new Server(
                    ServerOptions.defaults().withMaxConcurrentStreams(2),
                    new ServiceConfig(service).withHost("127.0.0.1").withPort(0))
                .start();
        Client client =
            new Client(
                ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/limits.Slow"))) {
      UnaryCallable<String, String> call = client.unary("m", EchoService.SER, EchoService.DES);
      // The limit binds once the client has acknowledged the server's SETTINGS: connect first.
      assertThat(call.call("warm-up")).isEqualTo("warm-up");
      maxRunning.set(0);
      List<Thread> threads = new ArrayList<>();
      List<String> results = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int i = 0; i < 6; i++) {
        String request = "r" + i;
        Thread t = new Thread(() -> results.add(call.call(request)));
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join(20_000);
      }
      assertThat(results).containsExactlyInAnyOrder("r0", "r1", "r2", "r3", "r4", "r5");
      assertThat(maxRunning.get()).isLessThanOrEqualTo(2);
    }
  }

  @Test
  void maxConcurrentStreams_callsSentBeforeTheServersSettings_areRetriedTransparently()
      throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch twoRunning = new java.util.concurrent.CountDownLatch(2);
    RpcServiceHandler service =
        new RpcServiceHandler(
            "limits.Held",
            Map.of(
                "m",
                RpcMethodHandler.<String, String>unary(
                    r -> {
                      twoRunning.countDown();
                      release.await();
                      return r;
                    },
                    EchoService.DES,
                    EchoService.SER)));
    try (Server server =
            new Server(
                    ServerOptions.defaults().withMaxConcurrentStreams(2),
                    new ServiceConfig(service).withHost("127.0.0.1").withPort(0))
                .start();
        Client client =
            new Client(
                ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/limits.Held"));
        io.tri4j.testing.LogCapture logs = io.tri4j.testing.LogCapture.open()) {
      UnaryCallable<String, String> call = client.unary("m", EchoService.SER, EchoService.DES);
      // All at once on a new connection: the streams beyond two are refused (REFUSED_STREAM) by a
      // server whose SETTINGS the client has not read yet; the server processed none of them.
      List<java.util.concurrent.CompletableFuture<String>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        calls.add(call.callAsync("r" + i));
      }
      assertThat(twoRunning.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      release.countDown();
      List<String> results = new ArrayList<>();
      for (java.util.concurrent.CompletableFuture<String> c : calls) {
        results.add(c.get(20, java.util.concurrent.TimeUnit.SECONDS));
      }
      assertThat(results).containsExactly("r0", "r1", "r2", "r3", "r4", "r5");
      assertThat(logs.events()).isEmpty();
    }
  }

  @Test
  void nullRequest_isRejectedBeforeAStreamIsOpened() {
    RpcServiceHandler service =
        new RpcServiceHandler(
            "limits.One",
            Map.of("m", RpcMethodHandler.unary((String r) -> r, EchoService.DES, EchoService.SER)));
    try (Server server =
            new Server(
                    ServerOptions.defaults().withMaxConcurrentStreams(1),
                    new ServiceConfig(service).withHost("127.0.0.1").withPort(0))
                .start();
        Client client =
            new Client(
                ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/limits.One"))) {
      UnaryCallable<String, String> call = client.unary("m", EchoService.SER, EchoService.DES);
      assertThat(call.call("warm up")).isEqualTo("warm up");
      assertThatThrownBy(() -> call.call(null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(
              () -> client.serverStream("m", EchoService.SER, EchoService.DES).call((String) null))
          .isInstanceOf(NullPointerException.class);
      // The only stream slot is free: no stream was left open by the rejected calls.
      assertThat(
              call.call("next", CallOptions.DEFAULT.withTimeout(java.time.Duration.ofSeconds(5))))
          .isEqualTo("next");
    }
  }

  @Test
  void headersOverTheServersLimit_failTheCall_notTheConnection() {
    RpcServiceHandler service =
        new RpcServiceHandler(
            "limits.Echo",
            Map.of("m", RpcMethodHandler.unary((String r) -> r, EchoService.DES, EchoService.SER)));
    try (Server server =
            new Server(
                    ServerOptions.defaults().withMaxHeaderListSize(1024),
                    new ServiceConfig(service).withHost("127.0.0.1").withPort(0))
                .start();
        Client client =
            new Client(
                ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/limits.Echo"))) {
      UnaryCallable<String, String> call = client.unary("m", EchoService.SER, EchoService.DES);
      assertThat(call.call("warm up")).isEqualTo("warm up");
      CallOptions huge =
          CallOptions.DEFAULT.withHeaders(new Metadata().put("x-big", "b".repeat(4096)));
      assertThatThrownBy(() -> call.call("too big", huge))
          .isInstanceOfSatisfying(
              StatusException.class,
              e -> assertThat(e.getStatus().description()).containsIgnoringCase("header"));
      assertThat(call.call("still fine")).isEqualTo("still fine");
    }
  }

  @Test
  void limitsOfTheServerOptions_applyToEveryListener() {
    int limit = 1024;
    RpcServiceHandler a =
        new RpcServiceHandler(
            "limits.A",
            Map.of("m", RpcMethodHandler.unary((String r) -> r, EchoService.DES, EchoService.SER)));
    RpcServiceHandler b =
        new RpcServiceHandler(
            "limits.B",
            Map.of("m", RpcMethodHandler.unary((String r) -> r, EchoService.DES, EchoService.SER)));
    String inMemoryName = "ConnectionLimitsTest.everyListener";
    // Two sockets (two hosts, each on a free port) and an in-memory listener.
    try (Server server =
        new Server(
                ServerOptions.defaults().withMaxInboundMessageSize(limit),
                new ServiceConfig(a).withHost("127.0.0.1").withPort(0),
                new ServiceConfig(b).withHost("localhost").withPort(0),
                new ServiceConfig(b).withInMemoryName(inMemoryName))
            .start()) {
      assertThat(server.addresses()).hasSize(2);
      List<ReferenceConfig> references =
          List.of(
              reference(server.addresses().get(0), "limits.A"),
              reference(server.addresses().get(1), "limits.B"),
              ReferenceConfig.forInMemory(inMemoryName, "limits.B"));
      for (ReferenceConfig reference : references) {
        try (Client client = new Client(reference)) {
          UnaryCallable<String, String> call = client.unary("m", EchoService.SER, EchoService.DES);
          assertThat(call.call("a".repeat(limit))).as(reference.toUrl()).hasSize(limit);
          assertThatThrownBy(() -> call.call("b".repeat(limit + 1)))
              .as(reference.toUrl())
              .isInstanceOfSatisfying(
                  StatusException.class,
                  e -> assertThat(e.getStatus().code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
          assertThat(call.call("still fine")).isEqualTo("still fine");
        }
      }
    }
  }

  private static ReferenceConfig reference(java.net.InetSocketAddress bound, String service) {
    String host = bound.getAddress().getHostAddress();
    return ReferenceConfig.fromUrl(
        "tri://"
            + (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
            + ":"
            + bound.getPort()
            + "/"
            + service);
  }

  @Test
  void statusDetailsTrailer_passesThroughBothWays() {
    byte[] details = {8, 5, 18, 3, 'b', 'a', 'd'};
    RpcServiceHandler service =
        new RpcServiceHandler(
            "limits.Details",
            Map.of(
                "m",
                RpcMethodHandler.<String, String>unary(
                    r -> {
                      throw new StatusException(
                          Status.NOT_FOUND.withDescription("bad"),
                          new Metadata().putBinary(Metadata.STATUS_DETAILS_KEY, details));
                    },
                    EchoService.DES,
                    EchoService.SER)));
    try (Server server =
            new Server(new ServiceConfig(service).withHost("127.0.0.1").withPort(0)).start();
        Client client =
            new Client(
                ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/limits.Details"))) {
      assertThatThrownBy(() -> client.unary("m", EchoService.SER, EchoService.DES).call("x"))
          .isInstanceOfSatisfying(
              StatusException.class,
              e ->
                  assertThat(e.getTrailers().getBinary(Metadata.STATUS_DETAILS_KEY))
                      .isEqualTo(details));
    }
  }

  @Test
  void maxConcurrentCalls_refusesCallsBeyond_whileParkedHandlersHoldTheirThreads()
      throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    RpcServiceHandler service =
        new RpcServiceHandler(
            "limits.Park",
            Map.of(
                "park",
                RpcMethodHandler.<String, String>unary(
                    r -> {
                      release.await();
                      return r;
                    },
                    EchoService.DES,
                    EchoService.SER),
                "greet",
                RpcMethodHandler.<String, String>unary(
                    r -> "hello " + r, EchoService.DES, EchoService.SER)));
    String url = "/limits.Park";
    try (Server server =
            new Server(
                    ServerOptions.defaults().withMaxConcurrentCalls(40),
                    new ServiceConfig(service).withHost("127.0.0.1").withPort(0))
                .start();
        Client parker =
            new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + url));
        Client newcomer =
            new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + url))) {
      UnaryCallable<String, String> park = parker.unary("park", EchoService.SER, EchoService.DES);
      List<java.util.concurrent.CompletableFuture<String>> parked = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        parked.add(park.callAsync("p" + i));
      }
      UnaryCallable<String, String> greet =
          newcomer.unary("greet", EchoService.SER, EchoService.DES);
      CallOptions withinTwoSeconds =
          CallOptions.DEFAULT.withTimeout(java.time.Duration.ofSeconds(2));
      // Every parked call reaches the server: 40 are let in and park, 20 are refused at once.
      while (parked.stream().filter(java.util.concurrent.CompletableFuture::isDone).count() < 20) {
        Thread.sleep(10);
      }
      for (java.util.concurrent.CompletableFuture<String> f : parked) {
        if (f.isDone()) {
          StatusAssertions.assertFailsWithStatus(
              f, Status.Code.RESOURCE_EXHAUSTED, "limit of 40 calls in progress");
        }
      }
      // A newcomer is answered at once: refused, not left waiting for a thread.
      StatusAssertions.assertStatus(
          () -> greet.call("bob", withinTwoSeconds),
          Status.Code.RESOURCE_EXHAUSTED,
          "limit of 40 calls in progress");
      assertThat(parked.stream().filter(java.util.concurrent.CompletableFuture::isDone))
          .hasSize(20);
      release.countDown();
      for (java.util.concurrent.CompletableFuture<String> f : parked) {
        if (!f.isCompletedExceptionally()) {
          assertThat(f.get(10, java.util.concurrent.TimeUnit.SECONDS)).startsWith("p");
        }
      }
      assertThat(greet.call("bob", withinTwoSeconds)).isEqualTo("hello bob");
    }
  }
}
