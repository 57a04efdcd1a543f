package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.tri4j.Server;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.MessageFramer;
import io.tri4j.internal.transport.RawHttp2Peer;
import io.tri4j.interop.testing.Messages.BoolValue;
import io.tri4j.interop.testing.Messages.ResponseParameters;
import io.tri4j.interop.testing.Messages.SimpleRequest;
import io.tri4j.interop.testing.Messages.SimpleResponse;
import io.tri4j.interop.testing.Messages.StreamingOutputCallRequest;
import io.tri4j.interop.testing.Messages.StreamingOutputCallResponse;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * grpc-java's client cannot see whether a response message was compressed, so the server side of
 * server_compressed_unary and server_compressed_streaming is checked here on the wire: the
 * compressed flag of each message and the call's {@code grpc-encoding}.
 */
@Timeout(30)
class ServerCompressionWireTest {
  static Server server;

  @BeforeAll
  static void start() {
    server = Main.startServer("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Http2Headers request(String method) {
    return new DefaultHttp2Headers()
        .method("POST")
        .scheme("http")
        .path("/grpc.testing.TestService/" + method)
        .authority("interop")
        .add("content-type", "application/grpc")
        .add("te", "trailers")
        .add("grpc-accept-encoding", "gzip");
  }

  /** The DATA of one call, cut into messages: [flag, payload] pairs. */
  private static byte[][] messages(RawHttp2Peer peer, int count) throws Exception {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    RawHttp2Peer.Frame frame;
    do {
      frame = peer.next();
      if (!frame.isHeaders()) {
        data.writeBytes(frame.data());
      }
    } while (!frame.endStream());
    byte[] all = data.toByteArray();
    byte[][] out = new byte[count * 2][];
    int at = 0;
    for (int i = 0; i < count; i++) {
      int length =
          ((all[at + 1] & 0xff) << 24)
              | ((all[at + 2] & 0xff) << 16)
              | ((all[at + 3] & 0xff) << 8)
              | (all[at + 4] & 0xff);
      out[2 * i] = new byte[] {all[at]};
      out[2 * i + 1] = Arrays.copyOfRange(all, at + 5, at + 5 + length);
      at += 5 + length;
    }
    assertThat(at).as("no bytes beyond the expected messages").isEqualTo(all.length);
    return out;
  }

  @Test
  void serverCompressedUnary_compressesExactlyWhenAsked() throws Exception {
    try (RawHttp2Peer peer = RawHttp2Peer.client(server.port())) {
      for (boolean compress : new boolean[] {true, false}) {
        SimpleRequest request =
            SimpleRequest.newBuilder()
                .setResponseCompressed(BoolValue.newBuilder().setValue(compress))
                .setResponseSize(314159)
                .build();
        peer.request(request("UnaryCall"), MessageFramer.frame(request.toByteArray()), true);
        RawHttp2Peer.Frame headers = peer.next();
        assertThat(String.valueOf(headers.headers().get("grpc-encoding")))
            .isEqualTo(compress ? "gzip" : "null");
        byte[][] m = messages(peer, 1);
        assertThat(m[0][0]).as("compressed flag").isEqualTo((byte) (compress ? 1 : 0));
        byte[] payload = compress ? Compression.GZIP.decompress(m[1], 1 << 20) : m[1];
        assertThat(SimpleResponse.parseFrom(payload).getPayload().getBody().size())
            .isEqualTo(314159);
        if (compress) {
          assertThat(m[1].length).as("really smaller").isLessThan(10_000);
        }
      }
    }
  }

  @Test
  void serverCompressedStreaming_flagsEachMessageAsAsked() throws Exception {
    try (RawHttp2Peer peer = RawHttp2Peer.client(server.port())) {
      StreamingOutputCallRequest request =
          StreamingOutputCallRequest.newBuilder()
              .addResponseParameters(
                  ResponseParameters.newBuilder()
                      .setSize(31415)
                      .setCompressed(BoolValue.newBuilder().setValue(true)))
              .addResponseParameters(
                  ResponseParameters.newBuilder()
                      .setSize(92653)
                      .setCompressed(BoolValue.newBuilder().setValue(false)))
              .build();
      peer.request(
          request("StreamingOutputCall"), MessageFramer.frame(request.toByteArray()), true);
      assertThat(peer.next().headers().get("grpc-encoding").toString()).isEqualTo("gzip");
      byte[][] m = messages(peer, 2);
      assertThat(m[0][0]).isEqualTo((byte) 1);
      assertThat(
              StreamingOutputCallResponse.parseFrom(Compression.GZIP.decompress(m[1], 1 << 20))
                  .getPayload()
                  .getBody()
                  .size())
          .isEqualTo(31415);
      assertThat(m[2][0]).isEqualTo((byte) 0);
      assertThat(StreamingOutputCallResponse.parseFrom(m[3]).getPayload().getBody().size())
          .isEqualTo(92653);
    }
  }
}
