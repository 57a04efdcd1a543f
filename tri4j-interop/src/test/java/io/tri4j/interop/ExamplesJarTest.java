package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.apache.dubbo.rpc.model.FrameworkModel;
import org.apache.dubbo.samples.proto.GreeterGrpc;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The executable jar, run as a user runs it ({@code java -jar tri4j-examples.jar ...}), against
 * grpc-java in both directions, and against Apache Dubbo through ZooKeeper.
 */
@Timeout(120)
class ExamplesJarTest {
  private static Path jar() {
    Path jar =
        Path.of(
            System.getProperty("tri4j.examplesJar", "../tri4j-examples/target/tri4j-examples.jar"));
    assertThat(jar).as("run './mvnw package' first").exists();
    return jar;
  }

  private static ProcessBuilder java(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String readAll(Process process) throws Exception {
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void noArguments_runsTheDemo_andExitsZero() throws Exception {
    Process demo = java().start();
    String output = readAll(demo);
    assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(demo.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("Received reply: hello world")
        .contains("All calls gave the expected answers.")
        .contains("The client gave up after about")
        .contains("DEADLINE_EXCEEDED")
        .contains("The call failed with UNIMPLEMENTED")
        .contains("Response header x-served-by: tri4j-demo")
        .contains("Trailer x-request-id: demo-42")
        .contains("Reading after the cancel: CANCELLED")
        .contains("The server's handler was stopped too: CANCELLED")
        .doesNotContain("unexpected");
  }

  @Test
  void serverCommand_help_printsUsageAndExitsZero() throws Exception {
    JarRun run = JarRun.of(java("server", "--help"));
    assertThat(run.exitValue()).as(run.output()).isZero();
    assertThat(run.output()).contains("usage: java -jar tri4j-examples.jar").contains("--port N");
  }

  @Test
  void serverCommand_unknownOption_exitsTwoNamingIt() throws Exception {
    JarRun run = JarRun.of(java("server", "--bogus", "1"));
    assertThat(run.exitValue()).as(run.output()).isEqualTo(2);
    assertThat(run.output())
        .contains(
            "Unknown option '--bogus'; options: [--port, --host, --registry, --reflection,"
                + " --metrics-port, --executor, --cors]")
        .doesNotContain("serving");
  }

  @Test
  void serverCommand_reflectionNeitherOnNorOff_exitsTwoSayingSo() throws Exception {
    JarRun run = JarRun.of(java("server", "--reflection", "maybe"));
    assertThat(run.exitValue()).as(run.output()).isEqualTo(2);
    assertThat(run.output())
        .contains("--reflection is on or off, not 'maybe'")
        .doesNotContain("serving");
  }

  @Test
  void serverCommand_virtualExecutorBeforeJdk21_exitsTwoSayingWhatToUse() throws Exception {
    assumeTrue(Runtime.version().feature() < 21, "virtual threads run on this JDK");
    JarRun run = JarRun.of(java("server", "--port", "0", "--executor", "virtual"));
    assertThat(run.exitValue()).as(run.output()).isEqualTo(2);
    assertThat(run.output())
        .contains("--executor virtual needs JDK 21 or later")
        .doesNotContain("serving");
  }

  @Test
  void unknownCommand_exitsTwoWithUsage() throws Exception {
    JarRun run = JarRun.of(java("serve"));
    assertThat(run.exitValue()).as(run.output()).isEqualTo(2);
    assertThat(run.output()).contains("Unknown command 'serve'").contains("usage:");
  }

  @Test
  void registryDemo_embeddedZooKeeper_balancesAndSurvivesALeavingProvider() throws Exception {
    Process demo = java("registry-demo").start();
    String output = readAll(demo);
    assertThat(demo.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(demo.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("calls per provider: {provider-1=3, provider-2=3, provider-3=3}")
        .contains("calls per provider: {provider-1=3, provider-3=3}")
        .contains("Registry demo done.");
  }

  @Test
  void clientCommand_againstGrpcJavaServer_exitsZero() throws Exception {
    Server grpc =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new GrpcJavaGreeter())
            .build()
            .start();
    try {
      Process client =
          java(
                  "client",
                  "--target",
                  "tri://127.0.0.1:" + grpc.getPort() + "/" + GreeterTri4j.SERVICE_NAME)
              .start();
      String output = readAll(client);
      assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(client.exitValue()).as(output).isZero();
      assertThat(output).contains("Received reply: tri4j-2").doesNotContain("MISMATCH");
    } finally {
      grpc.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void clientCommand_againstNoServer_exitsNonZero() throws Exception {
    Process client =
        java(
                "client",
                "--target",
                "tri://127.0.0.1:" + freePort() + "/" + GreeterTri4j.SERVICE_NAME)
            .start();
    String output = readAll(client);
    assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(client.exitValue()).as(output).isNotZero();
    assertThat(output).contains("UNAVAILABLE");
  }

  @Test
  void serverCommand_servesGrpcJavaClient_untilKilled() throws Exception {
    int port = freePort();
    Process server =
        java("server", "--port", Integer.toString(port), "--host", "127.0.0.1").start();
    ManagedChannel channel = null;
    try {
      BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      // tri4j's log line on start (slf4j-simple, stderr) comes first.
      assertThat(lines.readLine()).contains("tri4j server started: TCP 127.0.0.1:" + port);
      assertThat(lines.readLine())
          .contains("Greeter serving on")
          .contains("the browser demo at http://127.0.0.1:" + port + "/");
      HttpResponse<String> page =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                      .timeout(Duration.ofSeconds(20))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
      assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\"");
      channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      GreeterGrpc.GreeterBlockingStub stub = GreeterGrpc.newBlockingStub(channel);
      assertThat(stub.greet(GreeterRequest.newBuilder().setName("jar").build()).getMessage())
          .isEqualTo("hello jar");
      Iterator<GreeterReply> replies =
          stub.serverStream(GreeterRequest.newBuilder().setName("jar").build());
      List<String> got = new ArrayList<>();
      replies.forEachRemaining(r -> got.add(r.getMessage()));
      assertThat(got).containsExactly("jar-0", "jar-1", "jar-2");
      assertThat(server.isAlive()).isTrue();
    } finally {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
      server.destroy();
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void serverCommand_withRegistry_isFoundByADubboConsumerAtApplicationLevel() throws Exception {
    int port = freePort();
    Path log = Files.createTempFile("tri4j-server", ".log");
    try (TestingServer zookeeper = LoopbackZookeeper.start()) {
      String registry = LoopbackZookeeper.url(zookeeper);
      Process server =
          java(
                  "server",
                  "--host",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(port),
                  "--registry",
                  registry + "?application=jar-server&register-mode=instance")
              .redirectOutput(log.toFile())
              .start();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!read(log).contains("Greeter serving on") && System.nanoTime() < end) {
        assertThat(server.isAlive()).as(() -> read(log)).isTrue();
        Thread.sleep(50); // the jar starts in its own JVM
      }
      try (DubboPeers.Running consumer =
          DubboPeers.registryConsumer(registry, "FORCE_APPLICATION")) {
        assertThat(DubboApplicationDiscoveryTest.greet(consumer.greeter(), "jar"))
            .as(() -> read(log))
            .isEqualTo("hello jar");
      } finally {
        server.destroy();
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        FrameworkModel.destroyAll();
      }
    } finally {
      Files.delete(log);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  @Test
  void clientCommand_withRegistry_callsADubboProviderRegisteredAsInstanceOnly() throws Exception {
    try (TestingServer zookeeper = LoopbackZookeeper.start()) {
      String registry = LoopbackZookeeper.url(zookeeper);
      try (DubboPeers.Running provider =
          DubboPeers.registeredProvider(
              freePort(), registry + "?register-mode=instance", "jar-dubbo", "local", "")) {
        JarRun run =
            JarRun.of(java("client", "--registry", registry + "?migration-step=FORCE_APPLICATION"));
        assertThat(run.exitValue()).as(run.output()).isZero();
        assertThat(run.output())
            .contains("as listed in " + registry)
            .contains("All calls gave the expected answers.");
        assertThat(provider.bootstrap()).isNotNull();
      } finally {
        FrameworkModel.destroyAll();
      }
    }
  }
}
