package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Client;
import io.tri4j.ReferenceConfig;
import io.tri4j.RegistryConfig;
import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServiceConfig;
import io.tri4j.examples.GreeterClient;
import io.tri4j.examples.GreeterService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingServer;
import org.apache.dubbo.rpc.model.FrameworkModel;
import org.apache.dubbo.samples.proto.Greeter;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Application-level service discovery (Dubbo 3) across the two, over a real ZooKeeper: Dubbo
 * consumers at each migration step find tri4j providers, tri4j consumers find Dubbo providers that
 * register only their instance, and one service served by both kinds is called on both from both
 * kinds of consumer.
 */
@Timeout(120)
class DubboApplicationDiscoveryTest {
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

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Client tri4jConsumer(String registryQuery) {
    return new Client(
        ReferenceConfig.forService(GreeterTri4j.SERVICE_NAME),
        RegistryConfig.fromUrl(registry + registryQuery));
  }

  /** Calls until a call succeeds (discovery is asynchronous); then the answer. */
  private static String greet(Client client, String name) throws InterruptedException {
    GreeterTri4j.GreeterStub greeter = new GreeterTri4j.GreeterStub(client);
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

  @ParameterizedTest(name = "metadata {0}, migration-step {1}")
  @CsvSource({"local, FORCE_APPLICATION", "remote, FORCE_APPLICATION", "local, APPLICATION_FIRST"})
  void tri4jConsumer_callsDubboProviderRegisteredAsInstanceOnly(String metadataType, String step)
      throws Exception {
    String app = "dubbo-instance-" + metadataType + "-" + step.toLowerCase(Locale.ROOT);
    try (DubboPeers.Running provider =
            DubboPeers.registeredProvider(
                freePort(), registry + "?register-mode=instance", app, metadataType, "");
        Client client = tri4jConsumer("?migration-step=" + step)) {
      assertThat(greet(client, "tri4j")).isEqualTo("hello tri4j");

      ByteArrayOutputStream output = new ByteArrayOutputStream();
      int failures =
          new GreeterClient(client, new PrintStream(output, true, StandardCharsets.UTF_8)).runAll();
      assertThat(failures).as(output.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(provider.bootstrap()).isNotNull();
    }
  }

  private static Server tri4jProvider(String registryQuery) {
    return new Server(
            ServerOptions.defaults().withRegistry(RegistryConfig.fromUrl(registry + registryQuery)),
            new ServiceConfig(GreeterService.handler()).withHost("127.0.0.1").withPort(0))
        .start();
  }

  /** The answers of {@code calls} greetings, once some are seen, as a set. */
  private static Set<String> answers(Callable<String> greet, int calls) throws Exception {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < calls && seen.size() < 2; i++) {
      seen.add(greet.call());
    }
    return seen;
  }

  @Test
  void oneServiceFromDubboAndTri4jProviders_bothKindsOfConsumerCallBoth() throws Exception {
    try (DubboPeers.Running dubbo =
            DubboPeers.registeredProvider(freePort(), registry, "mixed-dubbo", "local", "dubbo ");
        Server tri4j = tri4jProvider("?application=mixed-tri4j");
        Client client = tri4jConsumer("");
        DubboPeers.Running consumer = DubboPeers.registryConsumer(registry)) {
      // Both providers are listed once each has been seen by both consumers.
      assertThat(answers(() -> greet(client, "x"), 500))
          .containsExactlyInAnyOrder("hello x", "dubbo hello x");
      assertThat(answers(() -> greet(consumer.greeter(), "x"), 500))
          .containsExactlyInAnyOrder("hello x", "dubbo hello x");
      assertThat(tri4j.port()).isPositive();
      assertThat(dubbo.bootstrap()).isNotNull();
    }
  }

  @Test
  void providerLeavingUnderLoad_costsNoCall() throws Exception {
    Server leaving = tri4jProvider("?application=leave-a&register-mode=instance");
    Server staying = tri4jProvider("?application=leave-b&register-mode=instance");
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try (Client client = tri4jConsumer("?migration-step=FORCE_APPLICATION")) {
      GreeterTri4j.GreeterStub greeter = new GreeterTri4j.GreeterStub(client);
      assertThat(greet(client, "warm")).isEqualTo("hello warm");
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger calls = new AtomicInteger();
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      for (int t = 0; t < 4; t++) {
        callers.execute(
            () -> {
              while (!stop.get()) {
                try {
                  greeter.greet(GreeterRequest.newBuilder().setName("load").build());
                  calls.incrementAndGet();
                } catch (RuntimeException e) {
                  failures.add(e);
                }
              }
            });
      }
      awaitCalls(calls, 500);
      leaving.shutdown(); // unregisters, then drains
      assertThat(leaving.awaitTermination(Duration.ofSeconds(30))).isTrue();
      awaitCalls(calls, 500); // and the rest go to the provider that stays
      stop.set(true);
      callers.shutdown();
      assertThat(callers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      assertThat(failures).isEmpty();
    } finally {
      callers.shutdownNow();
      leaving.close();
      staying.close();
    }
  }

  /** Waits until {@code more} calls beyond those made so far have succeeded. */
  private static void awaitCalls(AtomicInteger calls, int more) throws InterruptedException {
    int target = calls.get() + more;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (calls.get() < target) {
      if (System.nanoTime() > end) {
        throw new AssertionError("only " + calls.get() + " calls of " + target);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void dubboConsumerStartedFirst_findsTri4jProviderStartedLater() throws Exception {
    try (DubboPeers.Running consumer = DubboPeers.registryConsumer(registry, "FORCE_APPLICATION");
        Server server = tri4jProvider("?application=late-tri4j&register-mode=instance")) {
      assertThat(greet(consumer.greeter(), "late")).isEqualTo("hello late");
      assertThat(server.port()).isPositive();
    }
  }
}
