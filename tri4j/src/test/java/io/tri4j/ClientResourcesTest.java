package io.tri4j;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Clients that share resources: one connection per address, shared threads, and closing. */
@Timeout(30)
class ClientResourcesTest {
  private static final String SERVICE = "res.Who";
  private static final AtomicInteger names = new AtomicInteger();

  /** The client address of each call the servers took: one per connection. */
  private final Set<SocketAddress> callers = ConcurrentHashMap.newKeySet();

  private final List<AutoCloseable> closeAfter = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeAfter.size() - 1; i >= 0; i--) {
      closeAfter.get(i).close();
    }
  }

  private final ServerInterceptor recordCaller =
      new ServerInterceptor() {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
          callers.add(call.remoteAddress());
          return next.startCall(call, headers);
        }
      };

  private ServiceConfig who(String answer) {
    return new ServiceConfig(
            new RpcServiceHandler(
                SERVICE,
                Map.of(
                    "who",
                    RpcMethodHandler.unary(
                        (String r) -> r.startsWith("size:") ? "x".repeat(100) : answer,
                        EchoService.DES,
                        EchoService.SER))))
        .withHost("127.0.0.1")
        .withInterceptors(recordCaller);
  }

  /** A server of "plain" and, as version 1.0.0, "v1", on one port. */
  private Server server() {
    Server server =
        new Server(who("plain").withPort(0), who("v1").withPort(0).withVersion("1.0.0")).start();
    closeAfter.add(server);
    return server;
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    closeAfter.add(closeable);
    return closeable;
  }

  private static String who(Client client, String request) {
    return client.unary("who", EchoService.SER, EchoService.DES).call(request);
  }

  @Test
  void clientsOfOneAddress_shareOneConnection_eachWithItsOwnSettings() {
    Server server = server();
    ClientResources shared = closeLater(ClientResources.create());
    String url = "tri://127.0.0.1:" + server.port() + "/" + SERVICE;
    Client v1 = closeLater(new Client(ReferenceConfig.fromUrl(url + "?version=1.0.0"), shared));
    Client plain =
        closeLater(new Client(ReferenceConfig.fromUrl(url).withMaxInboundMessageSize(10), shared));

    assertThat(who(v1, "?")).isEqualTo("v1");
    assertThat(who(plain, "?")).isEqualTo("plain");
    assertStatus(() -> who(plain, "size:100"), Status.Code.RESOURCE_EXHAUSTED, "");
    assertThat(who(v1, "size:100")).hasSize(100); // the other client's limit is its own
    assertThat(shared.connectionCount()).isEqualTo(1);
    assertThat(callers).as("one connection, so one client address").hasSize(1);
  }

  @Test
  void clientsWithoutSharedResources_haveAConnectionEach() {
    Server server = server();
    String url = "tri://127.0.0.1:" + server.port() + "/" + SERVICE;
    Client a = closeLater(new Client(ReferenceConfig.fromUrl(url)));
    Client b = closeLater(new Client(ReferenceConfig.fromUrl(url)));
    who(a, "?");
    who(b, "?");
    assertThat(callers).hasSize(2);
  }

  @Test
  void closingOneClient_keepsTheSharedConnectionForTheOthers_untilTheLast() {
    Server server = server();
    ClientResources shared = closeLater(ClientResources.create());
    ReferenceConfig reference =
        ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/" + SERVICE);
    Client first = new Client(reference, shared);
    Client second = new Client(reference, shared);
    who(first, "?");
    first.close();
    assertStatus(() -> who(first, "?"), Status.Code.UNAVAILABLE, "closed");
    assertThat(who(second, "?")).isEqualTo("plain");
    assertThat(shared.connectionCount()).isEqualTo(1);
    assertThat(callers).hasSize(1);
    second.close();
    assertThat(shared.connectionCount()).isZero();
  }

  @Test
  void closedResources_failTheirClientsCalls_andMakeNoNewClients() {
    Server server = server();
    ClientResources shared = ClientResources.create();
    ReferenceConfig reference =
        ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/" + SERVICE);
    Client client = closeLater(new Client(reference, shared));
    who(client, "?");
    shared.close();
    assertStatus(() -> who(client, "?"), Status.Code.UNAVAILABLE, "");
    assertThatThrownBy(() -> new Client(reference, shared))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  private static Set<String> networkThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("tri4j-client-netty-") && !n.contains("local"))
        .collect(Collectors.toSet());
  }

  @Test
  void aRegistryClientsProviders_shareTheResourcesNetworkThreads() {
    String registryUrl = "memory://resources-" + names.incrementAndGet();
    for (String name : List.of("a", "b", "c")) {
      closeLater(
          new Server(
                  ServerOptions.defaults().withRegistry(RegistryConfig.fromUrl(registryUrl)),
                  who(name).withPort(0))
              .start());
    }
    Set<String> before = networkThreads();
    ClientResources oneThread = closeLater(ClientResources.forOneClient(1, null));
    Client client =
        closeLater(
            new Client(
                ReferenceConfig.fromUrl("tri:///" + SERVICE + "?loadbalance=roundrobin"),
                RegistryConfig.fromUrl(registryUrl),
                oneThread));
    Set<String> answers = new java.util.HashSet<>();
    for (int i = 0; i < 9; i++) {
      answers.add(who(client, "?"));
    }
    assertThat(answers).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(oneThread.connectionCount()).isEqualTo(3);
    Set<String> added = networkThreads();
    added.removeAll(before);
    assertThat(added).as("network threads for three providers").hasSize(1);
  }
}
