package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.tri4j.CallOptions;
import io.tri4j.Client;
import io.tri4j.ReferenceConfig;
import io.tri4j.RpcMethodHandler;
import io.tri4j.RpcServiceHandler;
import io.tri4j.Server;
import io.tri4j.ServiceConfig;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Floods of frames that cost a server memory or work without carrying a request: each ends its
 * connection with ENHANCE_YOUR_CALM, the server's heap stays bounded meanwhile, and a new client's
 * call is still answered within two seconds.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http2FloodTest {
  /**
   * Heap the server may gain while a flood is unread: unbounded before (a million PINGs filled the
   * 1 GiB test heap). Up to 10 000 acknowledgements stay queued, and under the tests' paranoid leak
   * detection each of their buffers carries recorded stack traces: about 85 MiB at most here.
   */
  private static final long HEAP_BOUND = 160L * 1024 * 1024;

  private static final long ENHANCE_YOUR_CALM = Http2Error.ENHANCE_YOUR_CALM.code();

  private Server server;
  private Client client;

  /** The socket I/O of the server: the automatic choice here, one named in a subclass. */
  SocketTransport transport() {
    return SocketTransport.current();
  }

  @BeforeAll
  void start() {
    SocketTransport transport = transport();
    Throwable why = transport.unavailabilityCause();
    assumeTrue(why == null, () -> transport + " cannot run here: " + why);
    RpcServiceHandler service =
        new RpcServiceHandler(
            "flood.Greeter",
            Map.of(
                "greet",
                RpcMethodHandler.<String, String>unary(
                    s -> "hello " + s,
                    b -> new String(b, StandardCharsets.UTF_8),
                    s -> s.getBytes(StandardCharsets.UTF_8))));
    ServiceConfig config = new ServiceConfig(service).withHost("127.0.0.1").withPort(0);
    TransportProperty.with(transport, () -> server = new Server(config).start());
    client =
        new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/flood.Greeter"));
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static Http2Headers request() {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path("/flood.Greeter/greet")
        .authority("test")
        .add("content-type", "application/grpc")
        .add("te", "trailers");
  }

  private static long heapUsed() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** A new client's call, while the flood is unread, is answered within two seconds. */
  private void assertServing() {
    String reply =
        client
            .unary("greet", (String s) -> s.getBytes(StandardCharsets.UTF_8), b -> new String(b))
            .call("bob", CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(2)));
    assertThat(reply).isEqualTo("hello bob");
  }

  /**
   * Sends {@code prefix} once and {@code frames} {@code times} over without reading; then checks
   * the heap, that the server serves, and that the connection ends with ENHANCE_YOUR_CALM.
   */
  private void flood(byte[] prefix, byte[] frames, int times) throws Exception {
    try (FloodPeer peer = new FloodPeer(server.port())) {
      long before = heapUsed();
      peer.send(prefix, 1);
      peer.send(frames, times);
      long grown = heapUsed() - before;
      assertThat(grown).as("heap grown by the flood").isLessThan(HEAP_BOUND);
      assertServing();
      // A sender blocked on a server that stopped reading may see the connection cut instead.
      assertThat(peer.awaitGoAway()).isIn(ENHANCE_YOUR_CALM, FloodPeer.CLOSED);
    }
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  @Test
  void pingFlood_unread_endsTheConnection() throws Exception {
    flood(new byte[0], FloodPeer.frame(FloodPeer.PING, 0, 0, new byte[8]), 1_000_000);
  }

  @Test
  void settingsFlood_unread_endsTheConnection() throws Exception {
    flood(new byte[0], FloodPeer.frame(FloodPeer.SETTINGS, 0, 0, new byte[0]), 500_000);
  }

  @Test
  void emptyDataFlood_endsTheConnection() throws Exception {
    try (FloodPeer headers = new FloodPeer(server.port())) {
      flood(
          headers.headers(1, request(), false),
          FloodPeer.frame(FloodPeer.DATA, 0, 1, new byte[0]),
          100_000);
    }
  }

  @Test
  void continuationFlood_endsTheConnection() throws Exception {
    try (FloodPeer headers = new FloodPeer(server.port())) {
      byte[] block = headers.headerBlock(request());
      flood(
          FloodPeer.frame(FloodPeer.HEADERS, 0, 1, block),
          FloodPeer.frame(FloodPeer.CONTINUATION, 0, 1, new byte[0]),
          100_000);
    }
  }

  @Test
  void priorityFlood_endsTheConnection() throws Exception {
    byte[] priority = concat(FloodPeer.int32(0), new byte[] {15});
    flood(new byte[0], FloodPeer.frame(FloodPeer.PRIORITY, 0, 3, priority), 500_000);
  }

  @Test
  void windowUpdateFlood_endsTheConnection() throws Exception {
    flood(new byte[0], FloodPeer.frame(FloodPeer.WINDOW_UPDATE, 0, 0, FloodPeer.int32(1)), 500_000);
  }

  @Test
  void rapidReset_endsTheConnection() throws Exception {
    try (FloodPeer peer = new FloodPeer(server.port())) {
      ByteArrayOutputStream frames = new ByteArrayOutputStream();
      for (int i = 0; i < 1000; i++) {
        int streamId = 2 * i + 1;
        frames.writeBytes(peer.headers(streamId, request(), false));
        frames.writeBytes(
            FloodPeer.frame(
                FloodPeer.RST_STREAM,
                0,
                streamId,
                FloodPeer.int32((int) Http2Error.CANCEL.code())));
      }
      peer.send(frames.toByteArray(), 1);
      assertServing();
      assertThat(peer.awaitGoAway()).isEqualTo(ENHANCE_YOUR_CALM);
    }
  }

  /** Requests the server must reset itself (no :path): MadeYouReset, CVE-2025-8671. */
  @Test
  void madeYouReset_endsTheConnection() throws Exception {
    try (FloodPeer peer = new FloodPeer(server.port())) {
      ByteArrayOutputStream frames = new ByteArrayOutputStream();
      Http2Headers noPath = request();
      noPath.remove(Http2Headers.PseudoHeaderName.PATH.value());
      for (int i = 0; i < 1000; i++) {
        frames.writeBytes(peer.headers(2 * i + 1, noPath, false));
      }
      peer.send(frames.toByteArray(), 1);
      assertServing();
      assertThat(peer.awaitGoAway()).isEqualTo(ENHANCE_YOUR_CALM);
    }
  }
}
