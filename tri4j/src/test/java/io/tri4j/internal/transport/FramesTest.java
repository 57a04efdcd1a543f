package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.tri4j.Status;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.codec.MessageDeframer;
import io.tri4j.internal.codec.MessageFramer;
import io.tri4j.internal.codec.WireMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FramesTest {
  private final List<String> messages = new ArrayList<>();
  private final ByteBuffer scratch = ByteBuffer.allocate(Frames.SCRATCH_SIZE);
  private final MessageDeframer deframer =
      new MessageDeframer(
          new MessageDeframer.Listener() {
            @Override
            public void messageRead(WireMessage message) {
              messages.add(new String(message.bytes(), StandardCharsets.UTF_8));
            }

            @Override
            public void bytesProcessed(int count) {}

            @Override
            public void endOfStream() {}

            @Override
            public void deframeFailed(Status status) {
              messages.add("failed: " + status);
            }
          },
          1 << 20,
          new TransportStats());

  private static ByteBuf direct(String text) {
    byte[] framed = MessageFramer.frame(text.getBytes(StandardCharsets.UTF_8));
    return Unpooled.directBuffer(framed.length).writeBytes(framed);
  }

  @Test
  void smallFramesHeldWithoutDemand_surviveTheScratchBeingReused() {
    ByteBuf first = direct("first");
    ByteBuf second = direct("second");
    try {
      Frames.deframe(first, deframer, scratch); // nothing asked for yet: kept
      Frames.deframe(second, deframer, scratch); // the same scratch, written over
      assertThat(messages).isEmpty();
      deframer.request(2);
      assertThat(messages).containsExactly("first", "second");
      assertThat(first.readerIndex()).isZero(); // the caller's buffer is left as it was
    } finally {
      first.release();
      second.release();
    }
  }

  @Test
  void framesLargerThanTheScratch_andCompositeOnes_arriveWhole() {
    String big = "x".repeat(Frames.SCRATCH_SIZE * 3);
    ByteBuf large = direct(big);
    CompositeByteBuf parts = Unpooled.compositeBuffer();
    byte[] framed = MessageFramer.frame(big.getBytes(StandardCharsets.UTF_8));
    parts.addComponent(true, Unpooled.wrappedBuffer(framed, 0, 100));
    parts.addComponent(true, Unpooled.directBuffer().writeBytes(framed, 100, framed.length - 100));
    try {
      deframer.request(2);
      Frames.deframe(large, deframer, scratch);
      Frames.deframe(parts, deframer, scratch);
      assertThat(messages).containsExactly(big, big);
    } finally {
      large.release();
      parts.release();
    }
  }
}
