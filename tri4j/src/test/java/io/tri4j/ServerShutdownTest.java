package io.tri4j;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.registry.Endpoint;
import io.tri4j.registry.Registry;
import io.tri4j.registry.RegistryFactory;
import io.tri4j.testing.Closer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Graceful shutdown over real sockets: handlers and the code around the server hear of it, calls
 * running finish, new calls go elsewhere, and what ignores the notice is cancelled at the grace
 * period.
 */
@Timeout(60)
class ServerShutdownTest {
  @RegisterExtension final Closer closer = new Closer();

  private static final AtomicInteger names = new AtomicInteger();

  /**
   * A server of "svc.Ticks": {@code h} as the server-streaming method "m", and "who" answering
   * {@code name}.
   */
  private Server server(
      ServerOptions options,
      String name,
      RpcMethodHandler.ServerStreamingWriter<String, String> h) {
    RpcServiceHandler service =
        new RpcServiceHandler(
            "svc.Ticks",
            Map.of(
                "m",
                RpcMethodHandler.serverStream(h, EchoService.DES, EchoService.SER),
                "who",
                RpcMethodHandler.unary((String r) -> name, EchoService.DES, EchoService.SER)));
    return closer.add(
        new Server(options, new ServiceConfig(service).withHost("127.0.0.1").withPort(0)).start());
  }

  private Client client(Server server) {
    return closer.add(
        new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/svc.Ticks")));
  }

  private static ReadStream<String> ticks(Client client) {
    return client.serverStream("m", EchoService.SER, EchoService.DES).call("go");
  }

  @Test
  void shutdown_streamingHandlerListening_endsItsCallOk() throws Exception {
    AtomicReference<Boolean> shuttingDownAtStart = new AtomicReference<>();
    Server server =
        server(
            ServerOptions.defaults(),
            "s",
            (request, replies) -> {
              ServerContext ctx = ServerContext.current();
              shuttingDownAtStart.set(ctx.isShuttingDown());
              CountDownLatch notice = new CountDownLatch(1);
              ctx.addShutdownListener(notice::countDown);
              replies.write("first");
              assertThat(notice.await(20, TimeUnit.SECONDS)).isTrue();
              replies.write(ctx.isShuttingDown() ? "last: shutting down" : "last: not told");
            });
    List<String> order = new ArrayList<>();
    server.addShutdownListener(() -> order.add("server listener"));
    ReadStream<String> ticks = ticks(client(server));
    assertThat(ticks.read()).isEqualTo("first");

    server.shutdown();
    order.add("shutdown returned");

    assertThat(ticks.read()).isEqualTo("last: shutting down");
    assertThat(ticks.read()).as("the call ends OK").isNull();
    assertThat(shuttingDownAtStart.get()).isFalse();
    assertThat(order).containsExactly("server listener", "shutdown returned");
    assertThat(server.awaitTermination(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void shutdown_afterTheCallEnded_handlersListenerNeverRuns() throws Exception {
    AtomicInteger heard = new AtomicInteger();
    Server server =
        server(
            ServerOptions.defaults(),
            "s",
            (request, replies) -> {
              ServerContext.current().addShutdownListener(heard::incrementAndGet);
              replies.write("only");
            });
    ReadStream<String> ticks = ticks(client(server));
    assertThat(ticks.read()).isEqualTo("only");
    assertThat(ticks.read()).isNull();

    server.shutdown();

    // A listener told would have run before the handler threads stopped.
    assertThat(server.awaitTermination(Duration.ofSeconds(10))).isTrue();
    assertThat(heard).hasValue(0);
  }

  @Test
  void shutdownListener_addedOnceShuttingDown_runsAtOnce() {
    Server server = server(ServerOptions.defaults(), "s", (request, replies) -> {});
    server.shutdown();
    List<String> heard = new ArrayList<>();
    server.addShutdownListener(() -> heard.add("late listener"));
    assertThat(heard).containsExactly("late listener");
  }

  @Test
  void shutdown_handlerIgnoringTheNotice_isCancelledAtTheGracePeriod() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    AtomicReference<Throwable> handlerSaw = new AtomicReference<>();
    Server server =
        server(
            ServerOptions.defaults().withShutdownGracePeriod(Duration.ofMillis(300)),
            "s",
            (request, replies) -> {
              ServerContext.current().addCancelListener(cancelled::countDown);
              replies.write("first");
              try {
                new CountDownLatch(1).await(); // never ends on its own
              } catch (InterruptedException e) {
                handlerSaw.set(e);
              }
            });
    ReadStream<String> ticks = ticks(client(server));
    assertThat(ticks.read()).isEqualTo("first");

    server.shutdown();

    assertStatus(
        ticks::read, Status.Code.UNAVAILABLE, "The server shut down before the call ended");
    assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(server.awaitTermination(Duration.ofSeconds(10))).isTrue();
    assertThat(handlerSaw.get()).isInstanceOf(InterruptedException.class);
  }

  @Test
  void shutdown_newCall_isRefusedUnavailable_andAClusterClientMovesOn() throws Exception {
    String registryUrl = "memory://shutdown-" + names.incrementAndGet();
    Server a = server(ServerOptions.defaults(), "a", (request, replies) -> {});
    Server b = server(ServerOptions.defaults(), "b", (request, replies) -> {});
    // Listed by hand, so that "a" stays listed after it shuts down: the client has to move on
    // because "a" refuses, not because the registry dropped it.
    Registry registry = closer.add(RegistryFactory.open(RegistryConfig.fromUrl(registryUrl)));
    for (Server server : List.of(a, b)) {
      registry.register("svc.Ticks", new Endpoint("127.0.0.1", server.port(), Map.of()));
    }
    Client direct = client(a);
    Client cluster =
        closer.add(
            new Client(
                ReferenceConfig.fromUrl("tri:///svc.Ticks?loadbalance=roundrobin"),
                RegistryConfig.fromUrl(registryUrl)));
    UnaryCallable<String, String> directWho = direct.unary("who", EchoService.SER, EchoService.DES);
    UnaryCallable<String, String> clusterWho =
        cluster.unary("who", EchoService.SER, EchoService.DES);
    assertThat(directWho.call("?")).isEqualTo("a"); // a connection to "a" is open
    assertThat(List.of(clusterWho.call("?"), clusterWho.call("?"))).contains("a", "b");

    a.shutdown();
    assertThat(a.awaitTermination(Duration.ofSeconds(10))).isTrue();

    assertStatus(() -> directWho.call("?"), Status.Code.UNAVAILABLE, "");
    for (int i = 0; i < 6; i++) {
      assertThat(clusterWho.call("?")).isEqualTo("b");
    }
  }
}
