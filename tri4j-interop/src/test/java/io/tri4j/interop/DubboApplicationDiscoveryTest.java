package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.RegistryConfig;
import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServiceConfig;
import io.tri4j.examples.GreeterService;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.dubbo.rpc.model.FrameworkModel;
import org.apache.dubbo.samples.proto.Greeter;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Application-level service discovery (Dubbo 3) across the two, over a real ZooKeeper: Dubbo
 * consumers at each migration step find tri4j providers.
 */
@Timeout(120)
class DubboApplicationDiscoveryTest {
  static TestingServer zookeeper;
  static String registry;

  @BeforeAll
  static void start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    zookeeper =
        new TestingServer(
            new InstanceSpec(
                Files.createTempDirectory("zk").toFile(),
                port,
                -1,
                -1,
                true,
                1,
                2000,
                60,
                Map.of("clientPortAddress", "127.0.0.1"),
                "127.0.0.1"),
            true);
    registry = "zookeeper://127.0.0.1:" + port;
  }

  @AfterAll
  static void stop() throws Exception {
    FrameworkModel.destroyAll();
    zookeeper.close();
  }

  /** Discovery is asynchronous: retry the first call until the provider is known. */
  static String greet(Greeter greeter, String name) throws InterruptedException {
    RuntimeException last = null;
    for (int i = 0; i < 150; i++) {
      try {
        return greeter.greet(GreeterRequest.newBuilder().setName(name).build()).getMessage();
      } catch (RuntimeException e) {
        last = e;
        Thread.sleep(100);
      }
    }
    throw last;
  }

  @ParameterizedTest(name = "{0} finds a provider registered with register-mode={1}, metadata {2}")
  @CsvSource({
    "FORCE_INTERFACE, interface, remote",
    "APPLICATION_FIRST, all, remote",
    "APPLICATION_FIRST, instance, remote",
    "FORCE_APPLICATION, instance, remote",
    "FORCE_APPLICATION, all, remote",
    "FORCE_APPLICATION, instance, local",
    "APPLICATION_FIRST, all, local"
  })
  void dubboConsumer_atEachMigrationStep_callsTri4jProvider(
      String step, String mode, String metadataType) throws Exception {
    String app = "tri4j-" + step.toLowerCase(Locale.ROOT) + "-" + mode + "-" + metadataType;
    try (Server server =
            new Server(
                    ServerOptions.defaults()
                        .withRegistry(
                            RegistryConfig.fromUrl(
                                registry
                                    + "?application="
                                    + app
                                    + "&register-mode="
                                    + mode
                                    + "&metadata-type="
                                    + metadataType)),
                    new ServiceConfig(GreeterService.handler()).withHost("127.0.0.1").withPort(0))
                .start();
        DubboPeers.Running consumer = DubboPeers.registryConsumer(registry, step)) {
      Greeter greeter = consumer.greeter();
      assertThat(greet(greeter, "dubbo")).isEqualTo("hello dubbo");

      DubboPeers.assertStreamingStyles(greeter);
      assertThat(server.port()).isPositive();
    }
  }
}
