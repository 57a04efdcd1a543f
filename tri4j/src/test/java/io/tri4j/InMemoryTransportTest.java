package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What is particular to services served in memory; the call contract itself runs over this
 * transport in the {@code *InMemoryTest} subclasses of the TCP test classes.
 */
@Timeout(30)
class InMemoryTransportTest {
  private static ServiceConfig upper(String inMemoryName) {
    RpcMethodHandler<String, String> upper =
        RpcMethodHandler.unary(String::toUpperCase, EchoService.DES, EchoService.SER);
    return new ServiceConfig(new RpcServiceHandler("svc.Upper", Map.of("m", upper)))
        .withInMemoryName(inMemoryName);
  }

  private static String call(ReferenceConfig reference, String request) {
    try (Client client = new Client(reference)) {
      return client.unary("m", EchoService.SER, EchoService.DES).call(request);
    }
  }

  private static ServiceConfig lower() {
    RpcMethodHandler<String, String> lower =
        RpcMethodHandler.unary(String::toLowerCase, EchoService.DES, EchoService.SER);
    return new ServiceConfig(new RpcServiceHandler("svc.Lower", Map.of("m", lower)))
        .withHost("127.0.0.1")
        .withPort(0);
  }

  @Test
  void inMemoryAndTcpServices_onOneServer_areEachServedOnTheirOwn() {
    try (Server server = new Server(upper("mixed"), lower()).start()) {
      assertThat(call(ReferenceConfig.forInMemory("mixed", "svc.Upper"), "aB")).isEqualTo("AB");
      assertThat(server.addresses()).hasSize(1);
      int port = server.addresses().get(0).getPort();
      assertThat(call(ReferenceConfig.fromUrl("tri://127.0.0.1:" + port + "/svc.Lower"), "aB"))
          .isEqualTo("ab");
      assertThatThrownBy(server::port)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in memory");
      assertStatus(
          () -> call(ReferenceConfig.forInMemory("mixed", "svc.Lower"), "x"),
          Status.Code.UNIMPLEMENTED);
    }
  }

  @Test
  void noServerUnderTheName_callFailsUnavailable_namingIt() {
    assertThatThrownBy(() -> call(ReferenceConfig.forInMemory("nobody-here", "svc.Upper"), "x"))
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.getStatus().code()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().description()).contains("in-memory server nobody-here");
            });
  }

  @Test
  void nameInUse_secondServerFailsToStart_firstKeepsServing() {
    try (Server first = new Server(upper("taken")).start()) {
      assertThat(first.addresses()).isEmpty();
      assertThatThrownBy(() -> new Server(upper("taken")).start())
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("taken");
      assertThat(call(ReferenceConfig.forInMemory("taken", "svc.Upper"), "still"))
          .isEqualTo("STILL");
    }
  }

  @Test
  void names_keepTheirCase_andAnyIsAnOrdinaryName() {
    // Netty lower-cases local addresses and reads "any" as "pick one": tri4j's names do neither.
    try (Server upperCase = new Server(upper("Svc")).start();
        Server any = new Server(upper("any")).start()) {
      assertThat(upperCase.isTerminated() || any.isTerminated()).isFalse();
      assertThat(call(ReferenceConfig.forInMemory("Svc", "svc.Upper"), "a")).isEqualTo("A");
      assertThat(call(ReferenceConfig.forInMemory("any", "svc.Upper"), "b")).isEqualTo("B");
      assertStatus(
          () -> call(ReferenceConfig.forInMemory("svc", "svc.Upper"), "c"),
          Status.Code.UNAVAILABLE);
    }
    assertThatThrownBy(() -> upper("  ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shutdown_freesTheName() {
    new Server(upper("reused")).start().close();
    try (Server again = new Server(upper("reused")).start()) {
      assertThat(again.isTerminated()).isFalse();
      assertThat(call(ReferenceConfig.forInMemory("reused", "svc.Upper"), "b")).isEqualTo("B");
    }
  }

  @Test
  void shutdown_letsRunningCallFinish_andRefusesNewCalls() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RpcMethodHandler<String, String> slow =
        RpcMethodHandler.unary(
            s -> {
              entered.countDown();
              release.await();
              return "finished " + s;
            },
            EchoService.DES,
            EchoService.SER);
    Server server =
        new Server(
                new ServiceConfig(new RpcServiceHandler("svc.Slow", Map.of("m", slow)))
                    .withInMemoryName("draining"))
            .start();
    ReferenceConfig reference = ReferenceConfig.forInMemory("draining", "svc.Slow");
    CompletableFuture<String> running =
        CompletableFuture.supplyAsync(() -> call(reference, "late"));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    server.shutdown();
    assertThat(server.awaitTermination(Duration.ofMillis(200))).isFalse();
    assertStatus(() -> call(reference, "new"), Status.Code.UNAVAILABLE);

    release.countDown();
    assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("finished late");
    assertThat(server.awaitTermination(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void registry_skipsInMemoryServices_andRefusesInMemoryReferences() {
    RegistryConfig registry = RegistryConfig.fromUrl("memory://in-memory-transport-test");
    try (Server server =
            new Server(
                    ServerOptions.defaults().withRegistry(registry), upper("registered"), lower())
                .start();
        Client lowerClient = new Client(ReferenceConfig.forService("svc.Lower"), registry);
        Client upperClient = new Client(ReferenceConfig.forService("svc.Upper"), registry)) {
      assertThat(server.addresses()).hasSize(1); // the TCP service's
      assertThat(lowerClient.unary("m", EchoService.SER, EchoService.DES).call("Found"))
          .isEqualTo("found");
      assertStatus(
          () -> upperClient.unary("m", EchoService.SER, EchoService.DES).call("x"),
          Status.Code.UNAVAILABLE);
      assertThatThrownBy(
              () -> new Client(ReferenceConfig.forInMemory("registered", "svc.Upper"), registry))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not looked up in a registry");
    }
  }

  @Test
  void reference_forInMemory_keepsNameAndParameters() {
    ReferenceConfig reference =
        ReferenceConfig.forInMemory("bench", "pkg.Svc").withParameter("timeout", "500");
    assertThat(reference.inMemoryName()).isEqualTo("bench");
    assertThat(reference.host()).isNull();
    assertThat(reference.service()).isEqualTo("pkg.Svc");
    assertThat(reference.withMaxInboundMessageSize(10).inMemoryName()).isEqualTo("bench");
    assertThat(reference.toUrl()).isEqualTo("in-memory:bench/pkg.Svc?timeout=500");
    assertThat(ReferenceConfig.fromUrl("tri://h:1/pkg.Svc").inMemoryName()).isNull();
    assertThatThrownBy(() -> ReferenceConfig.forInMemory("", "pkg.Svc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServiceConfig(upper("x").serviceHandler()).withInMemoryName(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertStatus(Runnable call, Status.Code code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusException.class, e -> assertThat(e.getStatus().code()).isEqualTo(code));
  }
}
