package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtocolDetectorTest {
  private final ChannelHandler http2 = new ChannelInboundHandlerAdapter();
  private final ChannelHandler http1 = new ChannelInboundHandlerAdapter();
  private final EmbeddedChannel channel =
      new EmbeddedChannel(new ProtocolDetector(() -> http2, () -> new ChannelHandler[] {http1}));

  private void receive(byte[] bytes) {
    channel.writeInbound(Unpooled.wrappedBuffer(bytes));
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void http2Preface_choosesHttp2() {
    receive(ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
    assertThat(channel.pipeline().toMap()).containsValue(http2).doesNotContainValue(http1);
    channel.finishAndReleaseAll();
  }

  @Test
  void requestLine_inPieces_choosesHttp1() {
    receive(ascii("PO"));
    assertThat(channel.pipeline().toMap()).doesNotContainValue(http1);
    receive(ascii("ST /greeter.Greeter/SayHello HTTP/1.1\r\n"));
    assertThat(channel.pipeline().toMap()).containsValue(http1).doesNotContainValue(http2);
    assertThat(channel.isOpen()).isTrue();
    channel.finishAndReleaseAll();
  }

  @Test
  void tlsClientHello_closesTheConnection_withoutAnswer() {
    receive(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});
    assertThat(channel.isOpen()).isFalse();
    Object written = channel.readOutbound();
    assertThat(written).isNull();
    channel.finishAndReleaseAll();
  }

  @Test
  void methodTooLongToBeOne_closesTheConnection() {
    receive(ascii("ABCDEFGHIJKLMNOPQRSTUVWXYZ / HTTP/1.1\r\n"));
    assertThat(channel.isOpen()).isFalse();
    channel.finishAndReleaseAll();
  }
}
