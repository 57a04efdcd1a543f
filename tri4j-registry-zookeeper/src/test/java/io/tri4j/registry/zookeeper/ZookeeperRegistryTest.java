package io.tri4j.registry.zookeeper;

import static io.tri4j.StatusAssertions.assertStatus;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.CallLoad;
import io.tri4j.Client;
import io.tri4j.ReferenceConfig;
import io.tri4j.RegistryConfig;
import io.tri4j.RpcMethodHandler;
import io.tri4j.RpcServiceHandler;
import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.registry.Endpoint;
import io.tri4j.registry.Registry;
import io.tri4j.registry.RegistryFactory;
import io.tri4j.testing.LogCapture;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** tri4j providers and clients over a real, in-process ZooKeeper. */
@Timeout(90)
class ZookeeperRegistryTest {
  static final String SERVICE = "zk.Who";
  private TestingServer zookeeper;

  /** Where providers register: the single server, or an ensemble's members. */
  private String registryAddress;

  private CuratorFramework inspector;
  private final List<Server> servers = new ArrayList<>();

  @BeforeEach
  void startZooKeeper() throws Exception {
    zookeeper = new TestingServer(true);
    registryAddress = zookeeper.getConnectString();
    inspector =
        CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100));
    inspector.start();
  }

  @AfterEach
  void stop() throws Exception {
    servers.forEach(Server::close);
    inspector.close();
    zookeeper.close();
  }

  private String registryUrl(String query) {
    return "zookeeper://" + registryAddress + query;
  }

  private Server provider(String name, String registryQuery) {
    RpcServiceHandler service =
        new RpcServiceHandler(
            SERVICE,
            Map.of(
                "who",
                RpcMethodHandler.unary(
                    (String r) -> name,
                    b -> new String(b, StandardCharsets.UTF_8),
                    s -> s.getBytes(StandardCharsets.UTF_8))));
    Server server =
        new Server(
                ServerOptions.defaults()
                    .withRegistry(RegistryConfig.fromUrl(registryUrl(registryQuery))),
                new ServiceConfig(service).withHost("127.0.0.1").withPort(0))
            .start();
    servers.add(server);
    return server;
  }

  private Client client(String query) {
    return client(query, "");
  }

  private Client client(String query, String registryQuery) {
    return new Client(
        ReferenceConfig.fromUrl("tri:///" + SERVICE + query),
        RegistryConfig.fromUrl(registryUrl(registryQuery)));
  }

  private static String who(Client client) {
    return client
        .unary(
            "who",
            (String s) -> s.getBytes(StandardCharsets.UTF_8),
            b -> new String(b, StandardCharsets.UTF_8))
        .call("?");
  }

  private List<Endpoint> nodes() throws Exception {
    List<Endpoint> endpoints = new ArrayList<>();
    String path = "/dubbo/" + SERVICE + "/providers";
    if (inspector.checkExists().forPath(path) != null) {
      for (String child : inspector.getChildren().forPath(path)) {
        endpoints.add(ProviderUrl.decode(child));
      }
    }
    return endpoints;
  }

  private void awaitNodes(int count) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (nodes().size() != count) {
      if (System.nanoTime() > end) {
        throw new AssertionError("expected " + count + " provider nodes, have " + nodes());
      }
      Thread.sleep(50);
    }
  }

  @Test
  void provider_writesAnEphemeralNodeInDubbosLayout() throws Exception {
    Server server = provider("a", "?weight=42");
    List<Endpoint> nodes = nodes();
    assertThat(nodes).hasSize(1);
    Endpoint node = nodes.get(0);
    assertThat(node.host()).isEqualTo("127.0.0.1");
    assertThat(node.port()).isEqualTo(server.port());
    assertThat(node.parameters())
        .containsEntry("interface", SERVICE)
        .containsEntry("methods", "who")
        .containsEntry("side", "provider")
        .containsEntry("weight", "42")
        .containsEntry("application", "tri4j")
        .containsEntry("dubbo", "2.0.2")
        .containsEntry("dynamic", "true")
        .containsKey("timestamp");
    String child = inspector.getChildren().forPath("/dubbo/" + SERVICE + "/providers").get(0);
    assertThat(
            inspector
                .checkExists()
                .forPath("/dubbo/" + SERVICE + "/providers/" + child)
                .getEphemeralOwner())
        .isNotZero();
  }

  private String data(String path) throws Exception {
    return new String(inspector.getData().forPath(path), StandardCharsets.UTF_8);
  }

  @Test
  void provider_registersItsApplicationInstanceAsDubbo3Does() throws Exception {
    Server server = provider("a", "?application=app-a");
    String instancePath = "/services/app-a/127.0.0.1:" + server.port();

    assertThat(data("/dubbo/mapping/" + SERVICE)).isEqualTo("app-a");
    assertThat(inspector.checkExists().forPath(instancePath).getEphemeralOwner()).isNotZero();
    InstanceNode instance = InstanceNode.parse(inspector.getData().forPath(instancePath));
    assertThat(instance.app()).isEqualTo("app-a");
    assertThat(instance.port("tri")).isEqualTo(server.port());
    assertThat(instance.metadata())
        .containsEntry(InstanceNode.STORAGE_TYPE, "remote")
        .containsEntry(InstanceNode.TIMESTAMP, nodes().get(0).parameters().get("timestamp"));
    String revision = instance.metadata().get(InstanceNode.REVISION);
    ApplicationMetadata metadata =
        ApplicationMetadata.fromJson(data("/dubbo/metadata/app-a/" + revision));
    assertThat(metadata.revision()).isEqualTo(revision);
    assertThat(metadata.services())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.matchKey()).isEqualTo(SERVICE + ":tri");
              assertThat(s.port()).isEqualTo(server.port());
              assertThat(s.params()).containsEntry("methods", "who").doesNotContainKey("timestamp");
            });
  }

  @Test
  void provider_addsItsApplicationToTheMappingKeepingTheOthers() throws Exception {
    inspector
        .create()
        .creatingParentsIfNeeded()
        .forPath("/dubbo/mapping/" + SERVICE, "dubbo-app".getBytes(StandardCharsets.UTF_8));

    provider("a", "?application=app-a");
    provider("b", "?application=app-b");
    provider("c", "?application=app-a");

    assertThat(data("/dubbo/mapping/" + SERVICE)).isEqualTo("dubbo-app,app-a,app-b");
    assertThat(inspector.getChildren().forPath("/services/app-a")).hasSize(2);
  }

  @Test
  void metadataTypeLocal_providerServesDubbosMetadataServiceV2() throws Exception {
    Server server = provider("a", "?application=app-a&metadata-type=local");
    InstanceNode instance =
        InstanceNode.parse(
            inspector.getData().forPath("/services/app-a/127.0.0.1:" + server.port()));
    String revision = instance.metadata().get(InstanceNode.REVISION);
    assertThat(instance.metadata())
        .containsEntry(InstanceNode.STORAGE_TYPE, "local")
        .containsEntry("meta-v", "2.0.0")
        .containsKey("dubbo.metadata-service.url-params");
    assertThat(inspector.checkExists().forPath("/dubbo/metadata/app-a")).isNull();

    try (Client metadataClient =
        new Client(
            ReferenceConfig.fromUrl(
                "tri://127.0.0.1:"
                    + server.port()
                    + "/"
                    + MetadataService.NAME
                    + "?version=2.0.0&group=app-a"))) {
      var getMetadataInfo =
          metadataClient.unary(
              MetadataService.METHOD, MetadataProto::encodeRequest, MetadataProto::decodeInfo);

      ApplicationMetadata metadata = getMetadataInfo.call(revision);
      assertThat(metadata.app()).isEqualTo("app-a");
      assertThat(metadata.revision()).isEqualTo(revision);
      assertThat(metadata.services()).extracting(ServiceInfo::name).containsExactly(SERVICE);
      assertStatus(
          () -> getMetadataInfo.call("0123"),
          Status.Code.NOT_FOUND,
          "No metadata of revision '0123' here");
    }
  }

  @Test
  void client_findsInstanceOnlyProviders_unlessForcedToInterfaceLevel() throws Exception {
    provider("a", "?register-mode=instance");
    try (Client applicationFirst = client("");
        Client forceApplication = client("", "?migration-step=FORCE_APPLICATION");
        Client forceInterface = client("", "?migration-step=force_interface")) {
      assertThat(who(applicationFirst)).isEqualTo("a");
      assertThat(who(forceApplication)).isEqualTo("a");
      assertStatus(() -> who(forceInterface), Status.Code.UNAVAILABLE, "zookeeper://");
    }
  }

  @Test
  void client_forcedToApplicationLevel_ignoresInterfaceOnlyProviders() throws Exception {
    provider("a", "?register-mode=interface");
    try (Client applicationFirst = client("");
        Client forceApplication = client("", "?migration-step=FORCE_APPLICATION")) {
      assertThat(who(applicationFirst)).isEqualTo("a");
      assertStatus(() -> who(forceApplication), Status.Code.UNAVAILABLE, "zookeeper://");
    }
  }

  @Test
  void client_followsInstancesAppearingAndLeaving() throws Exception {
    try (Client client = client("", "?migration-step=FORCE_APPLICATION")) {
      Server a = provider("a", "?register-mode=instance&application=app-a");
      awaitCalls(client, "a");
      provider("b", "?register-mode=instance&application=app-b&metadata-type=local");
      awaitCalls(client, "b");
      a.close();
      for (int i = 0; i < 20; i++) {
        assertThat(who(client)).isEqualTo("b");
      }
    }
  }

  @Test
  void client_skipsMalformedInstancesWithOneWarning() throws Exception {
    Server good = provider("a", "?register-mode=instance");
    inspector
        .create()
        .forPath("/services/tri4j/10.0.0.9:1", "garbage".getBytes(StandardCharsets.UTF_8));
    inspector
        .create()
        .forPath(
            "/services/tri4j/10.0.0.9:2",
            new InstanceNode(
                    "tri4j",
                    "10.0.0.9",
                    2,
                    Map.of(InstanceNode.REVISION, "feed", InstanceNode.STORAGE_TYPE, "remote"))
                .toJson(0));
    try (LogCapture logs = LogCapture.open();
        Client client = client("", "?migration-step=FORCE_APPLICATION")) {
      for (int i = 0; i < 20; i++) {
        assertThat(who(client)).isEqualTo("a");
      }
      inspector.setData().forPath("/services/tri4j/10.0.0.9:2", new byte[0]); // a changed node
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (logs.events().size() < 3 && System.nanoTime() < end) {
        Thread.sleep(20); // the change reaches the client asynchronously
      }
      assertThat(who(client)).isEqualTo("a");
      assertThat(logs.events())
          .filteredOn(e -> e.logger().equals(ApplicationSubscription.class.getName()))
          .extracting(LogCapture.Event::message)
          .containsExactlyInAnyOrder(
              "Skipping /services/tri4j/10.0.0.9:1: not a Dubbo service instance (not a JSON"
                  + " object)",
              "Skipping /services/tri4j/10.0.0.9:2: cannot learn its services,"
                  + " /dubbo/metadata/tri4j/feed does not exist",
              "Skipping /services/tri4j/10.0.0.9:2: not a Dubbo service instance (empty node)");
      assertThat(logs.events()).allSatisfy(e -> assertThat(e.throwable()).isNull());
    }
    assertThat(good.port()).isPositive();
  }

  @Test
  void registerMode_interface_writesNoInstance() throws Exception {
    provider("a", "?register-mode=interface");

    assertThat(nodes()).hasSize(1);
    assertThat(inspector.checkExists().forPath("/services")).isNull();
  }

  @Test
  void registerMode_instance_writesNoInterfaceNode() throws Exception {
    Server server = provider("a", "?register-mode=instance");

    assertThat(nodes()).isEmpty();
    assertThat(inspector.getChildren().forPath("/services/tri4j"))
        .containsExactly("127.0.0.1:" + server.port());
  }

  @Test
  void shutdown_removesTheInstance() throws Exception {
    Server server = provider("a", "?register-mode=instance");
    server.shutdown();

    assertThat(inspector.getChildren().forPath("/services/tri4j")).isEmpty();
    server.close();
  }

  /** A port nothing listens on now. */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort(); // closed again
    }
  }

  private static Server unstartedProvider(String name, String registryUrl) {
    RpcServiceHandler service =
        new RpcServiceHandler(
            SERVICE,
            Map.of(
                "who",
                RpcMethodHandler.unary(
                    (String r) -> name,
                    b -> new String(b, StandardCharsets.UTF_8),
                    s -> s.getBytes(StandardCharsets.UTF_8))));
    return new Server(
        ServerOptions.defaults().withRegistry(RegistryConfig.fromUrl(registryUrl)),
        new ServiceConfig(service).withHost("127.0.0.1").withPort(0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "&check=true"})
  void start_unreachableRegistry_failsNamingItWithinTheTimeout(String check) throws Exception {
    int port = freePort();
    Server server =
        unstartedProvider("a", "zookeeper://127.0.0.1:" + port + "?timeout=500" + check);
    long start = System.nanoTime();

    assertThatThrownBy(server::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Could not connect to ZooKeeper at 127.0.0.1:" + port + " within 500 ms");
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
    assertThatThrownBy(server::port).hasMessage("Server not started"); // nothing was bound
  }

  /** Children of {@code path} in {@code zookeeper}, waiting up to 20 s for {@code count}. */
  private static List<String> awaitChildren(CuratorFramework zookeeper, String path, int count)
      throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      List<String> children =
          zookeeper.checkExists().forPath(path) == null
              ? List.of()
              : zookeeper.getChildren().forPath(path);
      if (children.size() == count) {
        return children;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError(
            "expected " + count + " children of " + path + ", have " + children);
      }
      Thread.sleep(50);
    }
  }

  private static List<LogCapture.Event> awaitWarnings(LogCapture logs, Class<?> logger)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      List<LogCapture.Event> events =
          logs.events().stream().filter(e -> e.logger().equals(logger.getName())).toList();
      if (!events.isEmpty() || System.nanoTime() > end) {
        return events;
      }
      Thread.sleep(50);
    }
  }

  @Test
  void checkFalse_serverStartsWhileZooKeeperIsDown_andRegistersOnceItAnswers() throws Exception {
    int port = freePort();
    try (TestingServer later = new TestingServer(port, false)) {
      Server server =
          unstartedProvider(
              "a", "zookeeper://127.0.0.1:" + port + "?check=false&timeout=3000&application=app-a");
      try (LogCapture logs = LogCapture.open()) {
        long start = System.nanoTime();
        server.start();
        assertThat(System.nanoTime() - start)
            .as("start() well within the connect timeout")
            .isLessThan(TimeUnit.MILLISECONDS.toNanos(1500));
        try (Client direct =
            new Client(
                ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/" + SERVICE))) {
          assertThat(who(direct)).isEqualTo("a");
        }
        assertThat(awaitWarnings(logs, ConnectionGate.class))
            .singleElement()
            .satisfies(
                e -> {
                  assertThat(e.message())
                      .isEqualTo(
                          "ZooKeeper at 127.0.0.1:"
                              + port
                              + " has not answered within 3000 ms; starting anyway (check=false):"
                              + " registrations and subscriptions will follow once it answers");
                  assertThat(e.throwable()).isNull();
                });
      }

      later.start();
      try (CuratorFramework zk =
          CuratorFrameworkFactory.newClient(later.getConnectString(), new RetryOneTime(100))) {
        zk.start();
        List<String> providers = awaitChildren(zk, "/dubbo/" + SERVICE + "/providers", 1);
        assertThat(ProviderUrl.decode(providers.get(0)).port()).isEqualTo(server.port());
        assertThat(awaitChildren(zk, "/services/app-a", 1))
            .containsExactly("127.0.0.1:" + server.port());
        assertThat(new String(zk.getData().forPath("/dubbo/mapping/" + SERVICE), UTF_8))
            .isEqualTo("app-a");

        server.close(); // while ZooKeeper still answers its unregistering
        awaitChildren(zk, "/dubbo/" + SERVICE + "/providers", 0);
      }
    }
  }

  @Test
  void checkFalse_unregisteredBeforeZooKeeperAnswers_isNeverWritten() throws Exception {
    int port = freePort();
    try (TestingServer later = new TestingServer(port, false);
        Registry registry =
            RegistryFactory.open(
                RegistryConfig.fromUrl("zookeeper://127.0.0.1:" + port + "?check=false"))) {
      // Mappings are never removed: one written for "gone" would show.
      Endpoint gone = new Endpoint("127.0.0.1", 1001, Map.of("application", "app-gone"));
      Endpoint stays = new Endpoint("127.0.0.1", 1002, Map.of("application", "app-stays"));
      registry.register(SERVICE, gone);
      registry.register(SERVICE, stays);
      registry.register(SERVICE, stays);
      registry.unregister(SERVICE, gone);

      later.start();
      try (CuratorFramework zk =
          CuratorFrameworkFactory.newClient(later.getConnectString(), new RetryOneTime(100))) {
        zk.start();
        // Written in order: once the last is there, any earlier one would be too.
        List<String> providers = awaitChildren(zk, "/dubbo/" + SERVICE + "/providers", 1);
        assertThat(ProviderUrl.decode(providers.get(0)).port()).isEqualTo(1002);
        assertThat(awaitChildren(zk, "/services/app-stays", 1)).containsExactly("127.0.0.1:1002");
        assertThat(new String(zk.getData().forPath("/dubbo/mapping/" + SERVICE), UTF_8))
            .isEqualTo("app-stays");
        assertThat(zk.checkExists().forPath("/services/app-gone")).isNull();
      }
    }
  }

  @Test
  void checkFalse_clientStartedWhileZooKeeperIsDown_callsOnceProvidersAppear() throws Exception {
    int port = freePort();
    try (TestingServer later = new TestingServer(port, false)) {
      String url = "zookeeper://127.0.0.1:" + port;
      long start = System.nanoTime();
      try (Client client =
          new Client(
              ReferenceConfig.fromUrl("tri:///" + SERVICE),
              RegistryConfig.fromUrl(url + "?check=false&timeout=3000"))) {
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(1500));
        long call = System.nanoTime();
        assertStatus(
            () -> who(client),
            Status.Code.UNAVAILABLE,
            "No providers of " + SERVICE + " in registry " + url + " are registered");
        assertThat(System.nanoTime() - call)
            .as("fails fast")
            .isLessThan(TimeUnit.MILLISECONDS.toNanos(1500));

        later.start();
        registryAddress = later.getConnectString();
        provider("a", "");
        awaitCalls(client, "a");
        servers.forEach(Server::close); // while ZooKeeper still answers their unregistering
        servers.clear();
      }
    }
  }

  @Test
  void url_aBadCheckNamesTheParameterAndItsValues() {
    RegistryConfig config = RegistryConfig.fromUrl(registryUrl("?check=maybe"));

    assertThatThrownBy(() -> RegistryFactory.open(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Bad value 'maybe' for parameter check in registry URL 'zookeeper://"
                + registryAddress
                + "': use true or false");
  }

  @Test
  void url_anUnknownRegisterModeNamesTheKnownOnes() {
    RegistryConfig config = RegistryConfig.fromUrl(registryUrl("?register-mode=both"));

    assertThatThrownBy(() -> RegistryFactory.open(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Bad value 'both' for parameter register-mode in registry URL 'zookeeper://"
                + registryAddress
                + "': use all, interface or instance");
  }

  @Test
  void url_aMisspelledParameterIsAnErrorNamingZooKeepersOwnParameters() {
    RegistryConfig config = RegistryConfig.fromUrl(registryUrl("?sesion=30000"));

    assertThatThrownBy(() -> RegistryFactory.open(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown parameter 'sesion' in registry URL 'zookeeper://")
        .hasMessageContaining("did you mean 'session'?")
        .hasMessageEndingWith(
            "Known parameters: application, backup, check, cluster, group, loadbalance,"
                + " metadata-type, migration-step, password, register-mode, retries, session,"
                + " timeout, username, weight.");
  }

  @Test
  void url_aBadTimeoutNamesTheParameterAndWhatItTakes() {
    RegistryConfig config = RegistryConfig.fromUrl(registryUrl("?timeout=5s"));

    assertThatThrownBy(() -> RegistryFactory.open(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Bad value '5s' for parameter timeout in registry URL 'zookeeper://"
                + registryAddress
                + "': expected a positive number of milliseconds");
  }

  @Test
  void shutdown_unregistersBeforeDraining() throws Exception {
    Server server = provider("a", "");
    assertThat(nodes()).hasSize(1);
    server.shutdown();
    assertThat(nodes()).as("removed as shutdown begins").isEmpty();
    server.close();
  }

  @Test
  void client_followsProvidersAppearingAndLeaving() throws Exception {
    try (Client client = client("")) {
      assertStatus(() -> who(client), Status.Code.UNAVAILABLE, "zookeeper://");
      Server a = provider("a", "");
      awaitCalls(client, "a");
      provider("b", "");
      awaitCalls(client, "b");
      a.close();
      for (int i = 0; i < 20; i++) {
        assertThat(who(client)).isEqualTo("b");
      }
    }
  }

  private static void awaitCalls(Client client, String name) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < end) {
      try {
        for (int i = 0; i < 20; i++) {
          if (who(client).equals(name)) {
            return;
          }
        }
      } catch (RuntimeException e) {
        // not there yet
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no call reached " + name);
  }

  @Test
  void roundRobin_spreadsEvenly() throws Exception {
    provider("x", "");
    provider("y", "");
    awaitNodes(2);
    try (Client client = client("?loadbalance=roundrobin")) {
      awaitCalls(client, "x");
      Map<String, Integer> counts = new HashMap<>();
      for (int i = 0; i < 100; i++) {
        counts.merge(who(client), 1, Integer::sum);
      }
      assertThat(counts).containsOnly(Map.entry("x", 50), Map.entry("y", 50));
    }
  }

  @Test
  void providerClosedUnderLoad_noCallFails() throws Exception {
    provider("stays", "");
    Server leaving = provider("leaves", "");
    awaitNodes(2);
    try (Client client = client("")) {
      awaitCalls(client, "leaves");
      CallLoad.Result load = CallLoad.during(8, () -> who(client), 500, leaving::close, 500);
      assertThat(load.failures()).as("failed calls").isEmpty();
      assertThat(load.succeeded()).isGreaterThan(100);
    }
  }

  @Test
  void digestAuth_credentialsFromTheUrlOpenAProtectedRoot() throws Exception {
    // A root that only user "ops" may create nodes under, as an operator would protect it.
    ACL opsOnly =
        new ACL(
            ZooDefs.Perms.ALL,
            new Id("digest", DigestAuthenticationProvider.generateDigest("ops:s3cret")));
    ACL anyoneReads = new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE);
    inspector.create().withACL(List.of(opsOnly, anyoneReads)).forPath("/dubbo");

    assertThatThrownBy(() -> provider("anonymous", ""))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Could not register")
        .hasRootCauseInstanceOf(KeeperException.NoAuthException.class);

    provider("ops", "?username=ops&password=s3cret");
    assertThat(nodes()).hasSize(1);
    try (Client client = client("")) {
      awaitCalls(client, "ops");
    }
  }

  @Test
  void zooKeeperRestartAfterSessionExpiry_registrationsComeBack() throws Exception {
    provider("a", "?session=4000&timeout=3000");
    assertThat(nodes()).hasSize(1);
    inspector.close();
    zookeeper.stop();
    Thread.sleep(6000); // longer than the session: the server will drop its ephemeral nodes
    zookeeper.restart();
    inspector =
        CuratorFrameworkFactory.newClient(zookeeper.getConnectString(), new RetryOneTime(100));
    inspector.start();
    awaitNodes(1);
    try (Client client = client("")) {
      awaitCalls(client, "a");
    }
  }

  @Test
  void ensembleMemberDies_registrationsAndDiscoveryCarryOn() throws Exception {
    try (TestingCluster cluster = new TestingCluster(3)) {
      cluster.start();
      registryAddress = cluster.getConnectString(); // providers: the ensemble as a list
      inspector.close();
      // When a member dies, this test's own client may have been connected to it: it retries
      // until it has reconnected to another one, for up to 10 s.
      inspector = CuratorFrameworkFactory.newClient(registryAddress, new RetryNTimes(100, 100));
      inspector.start();
      provider("a", "");
      awaitNodes(1);

      // The consumer names the ensemble as Dubbo does, the other members in "backup".
      List<InstanceSpec> members = new ArrayList<>(cluster.getInstances());
      String dubboStyle =
          "zookeeper://"
              + address(members.get(0))
              + "?backup="
              + address(members.get(1))
              + ","
              + address(members.get(2));
      try (Client client =
          new Client(
              ReferenceConfig.fromUrl("tri:///" + SERVICE), RegistryConfig.fromUrl(dubboStyle))) {
        awaitCalls(client, "a");

        assertThat(cluster.killServer(members.get(0))).isTrue(); // two of three keep a quorum
        assertThat(who(client)).isEqualTo("a"); // calls never depend on ZooKeeper
        Server b = provider("b", "");
        awaitNodes(2);
        awaitCalls(client, "b"); // the consumer's watch survived the failover

        servers.get(0).close(); // "a" leaves: its node goes, calls go to "b" only
        awaitNodes(1);
        assertThat(nodes()).extracting(Endpoint::port).containsExactly(b.port());
        for (int i = 0; i < 20; i++) {
          assertThat(who(client)).isEqualTo("b");
        }
      } finally {
        servers.forEach(Server::close); // while the ensemble still answers their unregistering
        servers.clear();
      }
    }
  }

  private static String address(InstanceSpec member) {
    return member.getHostname() + ":" + member.getPort();
  }
}
