package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InMemoryCopyTest {
  @Test
  void writtenBuffer_reachesThePeerAsItsOwnCopy_andTheOriginalIsReleased() {
    EmbeddedChannel channel = new EmbeddedChannel(InMemoryCopy.INSTANCE);
    ByteBuf header = Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 0, 5});
    ByteBuf message =
        Unpooled.wrappedBuffer(header, Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
    ByteBuf slice = message.readRetainedSlice(7);

    assertThat(channel.writeOutbound(slice)).isTrue();
    ByteBuf sent = channel.readOutbound();
    try {
      assertThat(message.refCnt()).as("the written slice's reference was released").isOne();
      // What the sender does with its buffer once the write completed no longer matters.
      message.release();
      assertThat(header.refCnt()).isZero();
      assertThat(ByteBufUtil.getBytes(sent)).isEqualTo(new byte[] {0, 0, 0, 0, 5, 'h', 'e'});
    } finally {
      sent.release();
    }
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void otherMessages_passUnchanged() {
    EmbeddedChannel channel = new EmbeddedChannel(InMemoryCopy.INSTANCE);
    Object frame = new Object();

    assertThat(channel.writeOutbound(frame)).isTrue();
    Object sent = channel.readOutbound();
    assertThat(sent).isSameAs(frame);
  }
}
