package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.Client;
import io.tri4j.ClientTls;
import io.tri4j.ReferenceConfig;
import io.tri4j.RegistryConfig;
import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServerTls;
import io.tri4j.ServiceConfig;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.examples.GreeterClient;
import io.tri4j.examples.GreeterService;
import io.tri4j.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.apache.curator.test.TestingServer;
import org.apache.dubbo.rpc.model.FrameworkModel;
import org.apache.dubbo.samples.proto.Greeter;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Service discovery across the two: a Dubbo 3.3 consumer finds a tri4j provider through ZooKeeper,
 * and a tri4j consumer finds a Dubbo provider, each calling all four styles, in cleartext and with
 * TLS.
 */
@Timeout(120)
class DubboZookeeperTest {
  static final TestPki ca = TestPki.shared();
  static final TestPki.Issued SERVER_CERT = ca.issue("server", "127.0.0.1", "localhost");
  static TestingServer zookeeper;
  static String registry;

  @BeforeAll
  static void start() throws Exception {
    zookeeper = LoopbackZookeeper.start();
    registry = LoopbackZookeeper.url(zookeeper);
  }

  @AfterAll
  static void stop() throws Exception {
    FrameworkModel.destroyAll();
    zookeeper.close();
    DubboPeers.forgetDubboTlsProviderLeaks();
  }

  private static GreeterRequest request(String name) {
    return GreeterRequest.newBuilder().setName(name).build();
  }

  @Test
  void dubboConsumer_findsTri4jProvider_allFourStyles() throws Exception {
    try (Server server =
            new Server(
                    ServerOptions.defaults()
                        .withRegistry(
                            RegistryConfig.fromUrl(registry + "?application=tri4j-provider")),
                    new ServiceConfig(GreeterService.handler()).withHost("127.0.0.1").withPort(0))
                .start();
        DubboPeers.Running consumer = DubboPeers.registryConsumer(registry)) {
      Greeter greeter = consumer.greeter();
      assertThat(greet(greeter, "dubbo")).isEqualTo("hello dubbo");

      DubboPeers.assertStreamingStyles(greeter);
      assertThat(server.port()).isPositive();
    }
  }

  /** Discovery is asynchronous: retry the first call until the provider is known. */
  private static String greet(Greeter greeter, String name) throws InterruptedException {
    RuntimeException last = null;
    for (int i = 0; i < 100; i++) {
      try {
        return greeter.greet(request(name)).getMessage();
      } catch (RuntimeException e) {
        last = e;
        Thread.sleep(100);
      }
    }
    throw last;
  }

  @Test
  void tri4jConsumer_findsDubboProvider_allFourStyles() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (DubboPeers.Running provider = DubboPeers.registeredProvider(port, registry, null);
        Client client =
            new Client(
                ReferenceConfig.forService(GreeterTri4j.SERVICE_NAME),
                RegistryConfig.fromUrl(registry))) {
      assertAllStylesOnceDiscovered(client);
      assertThat(provider.bootstrap()).isNotNull();
    }
  }

  /** Runs the example client's calls, again while the provider is not discovered yet. */
  private static void assertAllStylesOnceDiscovered(Client client) throws InterruptedException {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    GreeterClient samples =
        new GreeterClient(client, new PrintStream(output, true, StandardCharsets.UTF_8));
    int failures = -1;
    for (int i = 0; i < 100 && failures != 0; i++) {
      output.reset();
      failures = samples.runAll();
      if (failures != 0) {
        Thread.sleep(100); // not discovered yet
      }
    }
    assertThat(failures).as(output.toString(StandardCharsets.UTF_8)).isZero();
  }

  @Test
  void dubboConsumerWithTls_findsTri4jTlsProvider_allFourStyles() throws Exception {
    try (Server server =
            new Server(
                    ServerOptions.defaults()
                        .withRegistry(
                            RegistryConfig.fromUrl(registry + "?application=tri4j-tls-provider"))
                        .withTls(
                            ServerTls.fromPem(
                                SERVER_CERT.certificateFile(), SERVER_CERT.keyFile())),
                    new ServiceConfig(GreeterService.handler()).withHost("127.0.0.1").withPort(0))
                .start();
        DubboPeers.Running consumer =
            DubboPeers.registryConsumer(
                registry, DubboPeers.clientSsl(ca.issue("dubbo-consumer"), ca.certificateFile()))) {
      Greeter greeter = consumer.greeter();
      // The port takes TLS only: a reply means Dubbo dialled the registered URL with TLS.
      assertThat(greet(greeter, "dubbo")).isEqualTo("hello dubbo");

      DubboPeers.assertStreamingStyles(greeter);
      assertThat(server.port()).isPositive();
    }
  }

  @Test
  void tri4jConsumer_findsDubboProviderRegisteredWithTls_connectsWithTls() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (DubboPeers.Running provider =
            DubboPeers.registeredProvider(port, registry, DubboPeers.serverSsl(SERVER_CERT));
        Client trusting =
            new Client(
                ReferenceConfig.forService(GreeterTri4j.SERVICE_NAME)
                    .withTls(ClientTls.defaults().withTrustedCertificates(ca.certificateFile())),
                RegistryConfig.fromUrl(registry));
        Client jdkRoots =
            new Client(
                ReferenceConfig.forService(GreeterTri4j.SERVICE_NAME),
                RegistryConfig.fromUrl(registry))) {
      assertAllStylesOnceDiscovered(trusting);

      // No TLS settings of its own: the registered ssl-enabled=true still makes it dial with TLS,
      // trusting the JDK's roots, which do not hold the test CA.
      assertThatThrownBy(
              () -> new GreeterTri4j.GreeterStub(jdkRoots).greet(GreeterClient.request("x")))
          .isInstanceOfSatisfying(
              StatusException.class,
              e -> {
                assertThat(e.getStatus().code()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getStatus().description()).contains("not signed by a trusted");
              });
      assertThat(provider.bootstrap()).isNotNull();
    }
  }
}
