package io.tri4j;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients that find providers in a registry (here one in memory): providers appearing and leaving,
 * the balancers' spread, and failover when a provider shuts down under load.
 */
@Timeout(60)
class ClusterTest {
  private final List<Server> servers = new ArrayList<>();
  private static final AtomicInteger names = new AtomicInteger();
  private final String registryUrl = "memory://cluster-" + names.incrementAndGet();

  /** A provider of "cluster.Who" answering with its name, registered with {@code query}. */
  private Server provider(String name, String query) {
    RpcServiceHandler service =
        new RpcServiceHandler(
            "cluster.Who",
            Map.of(
                "who",
                RpcMethodHandler.unary((String r) -> name, EchoService.DES, EchoService.SER),
                "whoEach",
                RpcMethodHandler.biStream(
                    (ReadStream<String> requests) ->
                        requests.stream().map(r -> name + ":" + r).iterator(),
                    EchoService.DES,
                    EchoService.SER),
                "whoAll",
                RpcMethodHandler.clientStream(
                    (ReadStream<String> requests) ->
                        name + ":" + String.join(",", requests.stream().toList()),
                    EchoService.DES,
                    EchoService.SER)));
    Server server =
        new Server(
                ServerOptions.defaults().withRegistry(RegistryConfig.fromUrl(registryUrl + query)),
                new ServiceConfig(service).withHost("127.0.0.1").withPort(0))
            .start();
    servers.add(server);
    return server;
  }

  private Client client(String query) {
    return new Client(
        ReferenceConfig.fromUrl("tri:///cluster.Who" + query), RegistryConfig.fromUrl(registryUrl));
  }

  private static String who(Client client) {
    return client.unary("who", EchoService.SER, EchoService.DES).call("?");
  }

  @AfterEach
  void stopAll() {
    servers.forEach(Server::close);
  }

  @Test
  void noProviders_isUnavailableNamingServiceAndRegistry() {
    try (Client client = client("")) {
      assertStatus(() -> who(client), Status.Code.UNAVAILABLE, "cluster.Who in registry memory://");
    }
  }

  @Test
  void providersAppearAndLeave_callsFollow() {
    try (Client client = client("")) {
      Server a = provider("a", "");
      assertThat(who(client)).isEqualTo("a");
      Server b = provider("b", "");
      Map<String, Integer> seen = spread(client, 200);
      assertThat(seen).containsOnlyKeys("a", "b");
      a.close();
      for (int i = 0; i < 20; i++) {
        assertThat(who(client)).isEqualTo("b");
      }
      b.close();
      assertStatus(() -> who(client), Status.Code.UNAVAILABLE, "No providers");
    }
  }

  private static Map<String, Integer> spread(Client client, int calls) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < calls; i++) {
      counts.merge(who(client), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void random_isWeighted() {
    provider("light", "?weight=100");
    provider("heavy", "?weight=300");
    try (Client client = client("?loadbalance=random")) {
      Map<String, Integer> counts = spread(client, 800);
      // Expect 200 : 600; allow for chance.
      assertThat(counts.get("heavy")).isBetween(480, 720);
      assertThat(counts.get("light")).isBetween(80, 320);
    }
  }

  @Test
  void roundRobin_alternatesExactly() {
    provider("x", "");
    provider("y", "");
    provider("z", "");
    try (Client client = client("?loadbalance=roundrobin")) {
      Map<String, Integer> counts = spread(client, 300);
      assertThat(counts)
          .containsOnly(Map.entry("x", 100), Map.entry("y", 100), Map.entry("z", 100));
    }
  }

  @Test
  void leastActiveAndP2c_useEveryProvider() {
    provider("p", "");
    provider("q", "");
    for (String balancer : List.of("leastactive", "p2c")) {
      try (Client client = client("?loadbalance=" + balancer)) {
        assertThat(spread(client, 200)).as(balancer).containsOnlyKeys("p", "q");
      }
    }
  }

  @Test
  void unknownBalancer_isRejectedWithTheList() {
    assertThatThrownBy(() -> client("?loadbalance=fastest"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("roundrobin");
  }

  /** Whether each call went to a different provider than the one before: round robin over two. */
  private static boolean alternates(Client client, int calls) {
    String last = who(client);
    for (int i = 1; i < calls; i++) {
      String next = who(client);
      if (next.equals(last)) {
        return false;
      }
      last = next;
    }
    return true;
  }

  @Test
  void registryUrlLoadbalance_appliesWhenTheReferenceSetsNone() {
    provider("p", "");
    provider("q", "");
    try (Client client =
        new Client(
            ReferenceConfig.forService("cluster.Who"),
            RegistryConfig.fromUrl(registryUrl + "?loadbalance=roundrobin"))) {
      assertThat(alternates(client, 20)).isTrue();
    }
  }

  @Test
  void referenceLoadbalance_winsOverTheRegistryUrls() {
    provider("p", "");
    provider("q", "");
    RegistryConfig registry = RegistryConfig.fromUrl(registryUrl + "?loadbalance=fastest");
    try (Client client =
        new Client(
            ReferenceConfig.fromUrl("tri:///cluster.Who?loadbalance=roundrobin"), registry)) {
      assertThat(alternates(client, 20)).isTrue();
    }
    assertThatThrownBy(() -> new Client(ReferenceConfig.forService("cluster.Who"), registry))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loadbalance")
        .hasMessageContaining("registry URL '" + registryUrl + "'");
  }

  @Test
  void versionAndGroup_filterProviders() {
    provider("v1", "");
    servers.add(
        new Server(
                ServerOptions.defaults().withRegistry(RegistryConfig.fromUrl(registryUrl)),
                new ServiceConfig(
                        new RpcServiceHandler(
                            "cluster.Who",
                            Map.of(
                                "who",
                                RpcMethodHandler.unary(
                                    (String r) -> "v2", EchoService.DES, EchoService.SER))))
                    .withHost("127.0.0.1")
                    .withPort(0)
                    .withVersion("2.0.0"))
            .start());
    try (Client plain = client("");
        Client v2 = client("?version=2.0.0")) {
      assertThat(spread(plain, 20)).containsOnlyKeys("v1");
      assertThat(spread(v2, 20)).containsOnlyKeys("v2");
    }
  }

  /** Lists a provider of "cluster.Who" at a port where nothing listens. */
  private void deadProvider() throws Exception {
    int port;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    io.tri4j.registry.Registry registry =
        io.tri4j.registry.RegistryFactory.open(RegistryConfig.fromUrl(registryUrl));
    registry.register("cluster.Who", new io.tri4j.registry.Endpoint("127.0.0.1", port, Map.of()));
    registries.add(registry);
  }

  private final List<io.tri4j.registry.Registry> registries = new ArrayList<>();

  @AfterEach
  void closeRegistries() {
    registries.forEach(io.tri4j.registry.Registry::close);
  }

  @Test
  void deadAndLiveProvider_asyncUnaryCallsFailOver_likeBlockingOnes() throws Exception {
    provider("live", "");
    deadProvider();
    try (Client client = client("?loadbalance=roundrobin")) {
      UnaryCallable<String, String> who = client.unary("who", EchoService.SER, EchoService.DES);
      for (int round = 0; round < 3; round++) {
        List<java.util.concurrent.CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          calls.add(who.callAsync("?"));
        }
        for (java.util.concurrent.CompletableFuture<String> call : calls) {
          assertThat(call.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("live");
        }
        for (int i = 0; i < 20; i++) {
          assertThat(who.call("?")).isEqualTo("live");
        }
        Thread.sleep(2100); // the dead provider is tried again once no longer passed over
      }
    }
  }

  @Test
  void deadAndLiveProvider_streamingCallsFailOver_withTheirRequestsReplayed() throws Exception {
    provider("live", "");
    deadProvider();
    try (Client client = client("?loadbalance=roundrobin")) {
      BidiStreamCallable<String, String> each =
          client.bidiStream("whoEach", EchoService.SER, EchoService.DES);
      ClientStreamCallable<String, String> all =
          client.clientStream("whoAll", EchoService.SER, EchoService.DES);
      for (int i = 0; i < 6; i++) {
        assertThat(each.call(List.of("a", "b")).stream().toList())
            .containsExactly("live:a", "live:b");
        StreamingCall<String, String> call = each.call();
        call.write("x");
        call.doneWriting();
        assertThat(call.read()).isEqualTo("live:x");
        assertThat(all.call(List.of("p", "q"))).isEqualTo("live:p,q");
        java.util.concurrent.CompletableFuture<String> async =
            new java.util.concurrent.CompletableFuture<>();
        RequestObserver<String> requests =
            all.callAsync(
                new StreamObserver<>() {
                  @Override
                  public void onNext(String value) {
                    async.complete(value);
                  }

                  @Override
                  public void onError(Throwable error) {
                    async.completeExceptionally(error);
                  }

                  @Override
                  public void onCompleted() {}
                });
        requests.onNext("r");
        requests.onNext("s");
        requests.onCompleted();
        assertThat(async.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("live:r,s");
        Thread.sleep(i % 2 == 0 ? 0 : 2100); // let the dead provider be picked again
      }
    }
  }

  @Test
  void failfast_doesNotFailOver() throws Exception {
    deadProvider();
    try (Client client = client("?cluster=failfast")) {
      assertStatus(() -> who(client), Status.Code.UNAVAILABLE, "Failed to connect");
    }
  }

  @Test
  void providerShutsDownUnderLoad_failoverLosesNoCall() throws Exception {
    provider("stays", "");
    Server leaving = provider("leaves", "");
    try (Client client = client("")) {
      // "leaves" unregisters, then drains and closes, while 8 threads call
      CallLoad.Result load = CallLoad.during(8, () -> who(client), 300, leaving::close, 500);
      assertThat(load.failures()).as("failed calls").isEmpty();
      assertThat(load.succeeded()).isGreaterThan(100);
    }
  }
}
