package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.tri4j.RpcMethodHandler;
import io.tri4j.RpcServiceHandler;
import io.tri4j.Server;
import io.tri4j.ServiceConfig;
import io.tri4j.StatsAccess;
import io.tri4j.Status;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.MessageFramer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What tri4j's server puts on the wire, seen by a bare HTTP/2 client. */
@Timeout(30)
class ServerWireTest {
  private static Server server;
  private static Server gzipServer;
  private RawHttp2Peer client;

  @BeforeAll
  static void startServer() {
    RpcServiceHandler service =
        new RpcServiceHandler(
            "wire.Test",
            Map.of(
                "unary",
                RpcMethodHandler.<String, String>unary(
                    s -> {
                      if (s.startsWith("fail:")) {
                        throw Status.NOT_FOUND.withDescription(s.substring(5)).asException();
                      }
                      return "got " + s;
                    },
                    b -> new String(b, StandardCharsets.UTF_8),
                    s -> s.getBytes(StandardCharsets.UTF_8)),
                "slow",
                RpcMethodHandler.<String, String>unary(
                    s -> {
                      Thread.sleep(Long.parseLong(s));
                      return "late";
                    },
                    b -> new String(b, StandardCharsets.UTF_8),
                    s -> s.getBytes(StandardCharsets.UTF_8)),
                "binary",
                RpcMethodHandler.<String, String>unary(
                    s -> {
                      byte[] data =
                          io.tri4j.ServerContext.current().requestHeaders().getBinary("x-data-bin");
                      StringJoiner j = new StringJoiner(",");
                      for (byte b : data) {
                        j.add(Byte.toString(b));
                      }
                      return j.toString();
                    },
                    b -> new String(b, StandardCharsets.UTF_8),
                    s -> s.getBytes(StandardCharsets.UTF_8)),
                "join",
                RpcMethodHandler.<String, String>clientStream(
                    requests -> {
                      StringJoiner j = new StringJoiner("+");
                      requests.forEach(j::add);
                      return j.toString();
                    },
                    b -> new String(b, StandardCharsets.UTF_8),
                    s -> s.getBytes(StandardCharsets.UTF_8))));
    server = new Server(new ServiceConfig(service).withHost("127.0.0.1").withPort(0)).start();
    gzipServer =
        new Server(
                new ServiceConfig(service)
                    .withHost("127.0.0.1")
                    .withPort(0)
                    .withCompression("gzip"))
            .start();
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    gzipServer.close();
    server.shutdown();
    // Every call is over, so no handler may still hold a thread.
    assertThat(server.awaitTermination(Duration.ofSeconds(5))).isTrue();
  }

  @BeforeEach
  void connect() {
    client = RawHttp2Peer.client(server.port());
  }

  @AfterEach
  void disconnect() {
    client.close();
  }

  private static Http2Headers request(String path, String contentType) {
    Http2Headers headers =
        new DefaultHttp2Headers().method("POST").scheme("http").path(path).authority("test");
    if (contentType != null) {
      headers.add("content-type", contentType);
    }
    return headers.add("te", "trailers");
  }

  private static byte[] framed(String... messages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String m : messages) {
      out.writeBytes(MessageFramer.frame(m.getBytes(StandardCharsets.UTF_8)));
    }
    return out.toByteArray();
  }

  @Test
  void wrongContentType_gets415_withReadableMessage() throws Exception {
    client.request(request("/wire.Test/unary", "text/html"), framed("x"), true);
    RawHttp2Peer.Frame headers = client.next();
    assertThat(headers.headers().status().toString()).isEqualTo("415");
    assertThat(headers.headers().get("grpc-message").toString()).contains("text/html");
    assertThat(headers.headers().get("content-type").toString()).startsWith("text/plain");
  }

  @Test
  void missingContentType_gets415() throws Exception {
    client.request(request("/wire.Test/unary", null), framed("x"), true);
    assertThat(client.next().headers().status().toString()).isEqualTo("415");
  }

  @Test
  void getRequest_gets405() throws Exception {
    client.request(request("/wire.Test/unary", "application/grpc").method("GET"), null, true);
    assertThat(client.next().headers().status().toString()).isEqualTo("405");
  }

  @Test
  void grpcDataContentType_fromDubboPython_isServed() throws Exception {
    client.request(request("/wire.Test/unary", "application/grpc+data"), framed("py"), true);
    RawHttp2Peer.Frame headers = client.next();
    assertThat(headers.headers().status().toString()).isEqualTo("200");
    assertThat(headers.headers().get("content-type").toString()).isEqualTo("application/grpc");
    assertThat(headers.endStream()).isFalse();
    RawHttp2Peer.Frame data = client.next();
    assertThat(data.data()).isEqualTo(framed("got py"));
    RawHttp2Peer.Frame trailers = client.next();
    assertThat(trailers.endStream()).isTrue();
    assertThat(trailers.headers().get("grpc-status").toString()).isEqualTo("0");
  }

  @Test
  void failureBeforeAnyMessage_isTrailersOnly_withPercentEncodedMessage() throws Exception {
    client.request(request("/wire.Test/unary", "application/grpc"), framed("fail:ü 100%"), true);
    RawHttp2Peer.Frame only = client.next();
    assertThat(only.endStream()).isTrue();
    assertThat(only.headers().status().toString()).isEqualTo("200");
    assertThat(only.headers().get("content-type").toString()).isEqualTo("application/grpc");
    assertThat(only.headers().get("grpc-status").toString()).isEqualTo("5");
    assertThat(only.headers().get("grpc-message").toString()).isEqualTo("%C3%BC 100%25");
  }

  @Test
  void unknownMethod_isTrailersOnlyUnimplemented() throws Exception {
    client.request(request("/wire.Test/nope", "application/grpc+proto"), framed("x"), true);
    RawHttp2Peer.Frame only = client.next();
    assertThat(only.endStream()).isTrue();
    assertThat(only.headers().get("grpc-status").toString()).isEqualTo("12");
    assertThat(only.headers().get("grpc-message").toString()).contains("wire.Test/nope");
  }

  @Test
  void grpcTimeout_isEnforcedByTheServer_evenIfTheClientWaits() throws Exception {
    client.request(
        request("/wire.Test/slow", "application/grpc").add("grpc-timeout", "200m"),
        framed("2000"),
        true);
    long start = System.nanoTime();
    RawHttp2Peer.Frame only = client.next();
    assertThat(only.endStream()).isTrue();
    assertThat(only.headers().get("grpc-status").toString()).isEqualTo("4");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
  }

  @Test
  void malformedGrpcTimeout_isInternalWithReason() throws Exception {
    client.request(
        request("/wire.Test/unary", "application/grpc").add("grpc-timeout", "soon"),
        framed("x"),
        true);
    RawHttp2Peer.Frame only = client.next();
    assertThat(only.headers().get("grpc-status").toString()).isEqualTo("13");
    assertThat(only.headers().get("grpc-message").toString()).contains("grpc-timeout");
  }

  @Test
  void base64BinaryHeader_paddedOrNot_isDecoded() throws Exception {
    // [1, 2, 3] is "AQID" (no padding needed); [1, 2] is "AQI=" padded, "AQI" unpadded.
    for (String[] sent : new String[][] {{"AQID", "1,2,3"}, {"AQI=", "1,2"}, {"AQI", "1,2"}}) {
      client.request(
          request("/wire.Test/binary", "application/grpc").add("x-data-bin", sent[0]),
          framed("x"),
          true);
      assertThat(client.next().headers().status().toString()).isEqualTo("200");
      assertThat(client.next().data()).as(sent[0]).isEqualTo(framed(sent[1]));
      assertThat(client.next().headers().get("grpc-status").toString()).isEqualTo("0");
    }
  }

  @Test
  void unsupportedRequestEncoding_isUnimplemented_listingTheSupportedOnes() throws Exception {
    client.request(
        request("/wire.Test/unary", "application/grpc").add("grpc-encoding", "snappy"),
        framed("x"),
        true);
    RawHttp2Peer.Frame only = client.next();
    assertThat(only.endStream()).isTrue();
    assertThat(only.headers().get("grpc-status").toString()).isEqualTo("12");
    assertThat(only.headers().get("grpc-message").toString()).contains("snappy").contains("gzip");
    assertThat(only.headers().get("grpc-accept-encoding").toString()).contains("gzip");
  }

  @Test
  void gzipRequest_isDecompressed() throws Exception {
    byte[] zipped = Compression.GZIP.compress("zipped".getBytes(StandardCharsets.UTF_8));
    client.request(
        request("/wire.Test/unary", "application/grpc").add("grpc-encoding", "gzip"),
        MessageFramer.frame(zipped, true),
        true);
    assertThat(client.next().headers().status().toString()).isEqualTo("200");
    assertThat(client.next().data()).isEqualTo(framed("got zipped"));
  }

  @Test
  void serverWithCompression_compressesOnlyForClientsThatAcceptIt() throws Exception {
    try (RawHttp2Peer peer = RawHttp2Peer.client(gzipServer.port())) {
      peer.request(
          request("/wire.Test/unary", "application/grpc").add("grpc-accept-encoding", "gzip"),
          framed("yes"),
          true);
      RawHttp2Peer.Frame headers = peer.next();
      assertThat(headers.headers().get("grpc-encoding").toString()).isEqualTo("gzip");
      byte[] data = peer.next().data();
      assertThat(data[0]).as("compressed flag").isEqualTo((byte) 1);
      byte[] payload = java.util.Arrays.copyOfRange(data, 5, data.length);
      assertThat(new String(Compression.GZIP.decompress(payload, 1024), StandardCharsets.UTF_8))
          .isEqualTo("got yes");
      peer.next(); // trailers

      peer.request(request("/wire.Test/unary", "application/grpc"), framed("no"), true);
      RawHttp2Peer.Frame plainHeaders = peer.next();
      assertThat(plainHeaders.headers().get("grpc-encoding")).isNull();
      assertThat(peer.next().data()).isEqualTo(framed("got no"));
    }
  }

  @Test
  void messagesNotAlignedToDataFrames_areReassembled() throws Exception {
    byte[] all = framed("alpha", "beta", "gamma");
    int id =
        client.request(request("/wire.Test/join", "application/grpc"), new byte[] {all[0]}, false);
    client.data(
        id, java.util.Arrays.copyOfRange(all, 1, 13), false); // the rest of alpha + part of beta
    client.data(id, java.util.Arrays.copyOfRange(all, 13, all.length), true);
    assertThat(client.next().headers().status().toString()).isEqualTo("200");
    assertThat(client.next().data()).isEqualTo(framed("alpha+beta+gamma"));
    assertThat(client.next().headers().get("grpc-status").toString()).isEqualTo("0");
  }

  @Test
  void twoRequestsToAUnaryMethod_areRejected_andTheirBytesReleased() throws Exception {
    long before = StatsAccess.of(server).bytesHeld();
    String big = "q".repeat(100_000);
    client.request(request("/wire.Test/unary", "application/grpc"), framed(big, big), true);
    RawHttp2Peer.Frame only = client.next();
    assertThat(only.headers().get("grpc-status").toString()).isEqualTo("13");
    assertThat(only.headers().get("grpc-message").toString()).contains("More than one request");
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (StatsAccess.of(server).bytesHeld() != before && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(StatsAccess.of(server).bytesHeld()).isEqualTo(before);
  }

  @Test
  void endStreamMidMessage_isInternal() throws Exception {
    byte[] message = framed("truncated");
    client.request(
        request("/wire.Test/join", "application/grpc"),
        java.util.Arrays.copyOf(message, message.length - 3),
        true);
    RawHttp2Peer.Frame only = client.next();
    assertThat(only.headers().get("grpc-status").toString()).isEqualTo("13");
  }
}
