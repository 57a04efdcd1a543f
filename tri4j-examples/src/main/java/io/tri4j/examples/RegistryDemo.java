package io.tri4j.examples;

import io.tri4j.Client;
import io.tri4j.ReferenceConfig;
import io.tri4j.RegistryConfig;
import io.tri4j.RpcServiceHandler;
import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServiceConfig;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * dubbo-python's registry sample in Java, on a fresh machine: an embedded ZooKeeper, three Greeter
 * providers that register in it, and one consumer that finds them, spreads its calls over them, and
 * carries on when one of them leaves.
 */
final class RegistryDemo {
  private RegistryDemo() {}

  static int run(PrintStream out) throws Exception {
    Path data = Files.createTempDirectory("tri4j-zookeeper");
    int zkPort = freePort();
    Properties zkConfig = new Properties();
    zkConfig.setProperty("clientPort", Integer.toString(zkPort));
    zkConfig.setProperty("clientPortAddress", "127.0.0.1");
    zkConfig.setProperty("dataDir", data.toString());
    zkConfig.setProperty("admin.enableServer", "false");
    zkConfig.setProperty("tickTime", "2000");
    try (ZooKeeperServerEmbedded zookeeper =
        ZooKeeperServerEmbedded.builder().baseDir(data).configuration(zkConfig).build()) {
      zookeeper.start();
      String registry = "zookeeper://127.0.0.1:" + zkPort;
      out.println("ZooKeeper started on 127.0.0.1:" + zkPort + "; registry URL " + registry);

      List<Server> providers = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        providers.add(provider("provider-" + i, RegistryConfig.fromUrl(registry)));
      }
      out.println("Three Greeter providers registered themselves.");

      ReferenceConfig reference =
          ReferenceConfig.fromUrl(
              "tri:///" + GreeterTri4j.SERVICE_NAME + "?loadbalance=roundrobin");
      try (Client client = new Client(reference, RegistryConfig.fromUrl(registry))) {
        GreeterTri4j.GreeterStub greet = new GreeterTri4j.GreeterStub(client);
        waitForProviders(greet, 3);
        out.println();
        out.println("* 9 calls, round robin over the providers found in ZooKeeper:");
        report(greet, 9, out);

        out.println();
        out.println("* provider-2 shuts down (it unregisters first, then drains):");
        providers.get(1).close();
        report(greet, 6, out);
      } finally {
        providers.forEach(Server::close);
      }
    }
    out.println();
    out.println("Registry demo done.");
    return 0;
  }

  private static Server provider(String name, RegistryConfig registry) {
    RpcServiceHandler service =
        GreeterTri4j.serviceHandler(
            new GreeterTri4j.Greeter() {
              @Override
              public GreeterReply greet(GreeterRequest request) {
                return GreeterService.reply("hello " + request.getName() + ", from " + name);
              }
            });
    return new Server(
            ServerOptions.defaults().withRegistry(registry),
            new ServiceConfig(service).withHost("127.0.0.1").withPort(0))
        .start();
  }

  /** Calls until every one of {@code count} providers has answered (discovery is asynchronous). */
  private static void waitForProviders(GreeterTri4j.GreeterStub greet, int count)
      throws InterruptedException {
    long end = System.nanoTime() + 10_000_000_000L;
    java.util.Set<String> seen = new java.util.HashSet<>();
    while (seen.size() < count && System.nanoTime() < end) {
      try {
        String message = greet.greet(GreeterClient.request("probe")).getMessage();
        seen.add(message.substring(message.lastIndexOf(' ') + 1));
      } catch (RuntimeException e) {
        Thread.sleep(50);
      }
    }
  }

  private static void report(GreeterTri4j.GreeterStub greet, int calls, PrintStream out) {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < calls; i++) {
      String message = greet.greet(GreeterClient.request("call-" + i)).getMessage();
      out.println("  " + message);
      counts.merge(message.substring(message.lastIndexOf(' ') + 1), 1, Integer::sum);
    }
    out.println("  calls per provider: " + counts);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
