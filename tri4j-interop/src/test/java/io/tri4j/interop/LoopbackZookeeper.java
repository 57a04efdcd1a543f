package io.tri4j.interop;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/** A real ZooKeeper in this JVM, listening on loopback only, on a free port. */
final class LoopbackZookeeper {
  private LoopbackZookeeper() {}

  static TestingServer start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return new TestingServer(
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
  }

  /** Its {@code zookeeper://} registry URL. */
  static String url(TestingServer zookeeper) {
    return "zookeeper://127.0.0.1:" + zookeeper.getPort();
  }
}
