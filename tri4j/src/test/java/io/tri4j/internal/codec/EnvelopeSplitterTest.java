package io.tri4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Status;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeSplitterTest {
  private static final int END = 0x80;

  private final ByteArrayOutputStream messages = new ByteArrayOutputStream();
  private final List<String> ends = new ArrayList<>();
  private final List<Status> failures = new ArrayList<>();
  private int used;

  private final EnvelopeSplitter splitter =
      new EnvelopeSplitter(
          new EnvelopeSplitter.Listener() {
            @Override
            public void messageBytes(ByteBuffer bytes) {
              byte[] b = new byte[bytes.remaining()];
              bytes.get(b);
              messages.writeBytes(b);
            }

            @Override
            public void endFrame(int flags, byte[] body) {
              ends.add(flags + ":" + new String(body, StandardCharsets.US_ASCII));
            }

            @Override
            public void bytesUsed(int count) {
              used += count;
            }

            @Override
            public void failed(Status status) {
              failures.add(status);
            }
          },
          END,
          64);

  private static byte[] endFrame(int flags, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
    byte[] frame = MessageFramer.frame(bytes);
    frame[0] = (byte) flags;
    return frame;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void split_byteByByte_passesMessagesOnAndKeepsTheEndFrame() {
    byte[] one = MessageFramer.frame("one".getBytes(StandardCharsets.US_ASCII));
    byte[] empty = MessageFramer.frame(new byte[0]);
    byte[] end = endFrame(END, "grpc-status: 0\r\n");
    byte[] body = concat(one, empty, end);
    for (byte b : body) {
      splitter.split(ByteBuffer.wrap(new byte[] {b}));
    }
    assertThat(messages.toByteArray()).isEqualTo(concat(one, empty));
    assertThat(ends).containsExactly("128:grpc-status: 0\r\n");
    assertThat(used).isEqualTo(end.length);
    assertThat(splitter.ended()).isTrue();
    assertThat(failures).isEmpty();
  }

  @Test
  void split_oneBuffer_messagesBeforeTheEnd_andBytesAfterItDroppedButCredited() {
    byte[] one = MessageFramer.frame("one".getBytes(StandardCharsets.US_ASCII));
    byte[] end = endFrame(END | 1, "x");
    splitter.split(ByteBuffer.wrap(concat(one, end, new byte[] {9, 9})));
    assertThat(messages.toByteArray()).isEqualTo(one);
    assertThat(ends).containsExactly("129:x");
    assertThat(used).isEqualTo(end.length + 2);
  }

  @Test
  void split_endFrameOverTheLimit_fails() {
    byte[] big = endFrame(END, "x".repeat(65));
    splitter.split(ByteBuffer.wrap(big));
    assertThat(failures)
        .singleElement()
        .extracting(Status::code)
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(ends).isEmpty();
    assertThat(splitter.ended()).isFalse();
  }

  @Test
  void midFrame_whileAFrameIsHalfRead_isTrue() {
    byte[] one = MessageFramer.frame("one".getBytes(StandardCharsets.US_ASCII));
    assertThat(splitter.midFrame()).isFalse();
    splitter.split(ByteBuffer.wrap(one, 0, 3));
    assertThat(splitter.midFrame()).isTrue();
    splitter.split(ByteBuffer.wrap(one, 3, one.length - 3));
    assertThat(splitter.midFrame()).isFalse();
  }
}
