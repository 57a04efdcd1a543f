package io.tri4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.internal.TransportStats;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageDeframerTest {
  private final TransportStats stats = new TransportStats();
  private final List<WireMessage> received = new ArrayList<>();
  private final List<Status> failures = new ArrayList<>();
  private int processed;
  private boolean ended;

  private final MessageDeframer.Listener listener =
      new MessageDeframer.Listener() {
        @Override
        public void messageRead(WireMessage message) {
          received.add(message);
        }

        @Override
        public void bytesProcessed(int count) {
          processed += count;
        }

        @Override
        public void endOfStream() {
          ended = true;
        }

        @Override
        public void deframeFailed(Status status) {
          failures.add(status);
        }
      };

  /** The messages received so far, as text; "z:" marks one that came compressed. */
  private List<String> messages() {
    List<String> texts = new ArrayList<>();
    for (WireMessage m : received) {
      texts.add((m.wasCompressed() ? "z:" : "") + new String(m.bytes(), StandardCharsets.UTF_8));
    }
    return texts;
  }

  private static byte[] framed(String... parts) {
    ByteBuffer out = ByteBuffer.allocate(1 << 16);
    for (String part : parts) {
      out.put(MessageFramer.frame(part.getBytes(StandardCharsets.UTF_8)));
    }
    byte[] bytes = new byte[out.position()];
    out.flip().get(bytes);
    return bytes;
  }

  @Test
  void aPrefixAlone_holdsNoMoreThanTheFirstPiece_andAMessageInPiecesGrowsToItsLength() {
    int limit = 4 * 1024 * 1024;
    MessageDeframer deframer = new MessageDeframer(listener, limit, stats);
    deframer.request(1);
    byte[] message = new byte[limit];
    new java.util.Random(7).nextBytes(message);
    byte[] input = MessageFramer.frame(message);

    // Five bytes that name the largest message allowed, and nothing after them.
    deframer.deframe(ByteBuffer.wrap(input, 0, MessageFramer.HEADER_LENGTH));
    assertThat(stats.bytesHeld()).isEqualTo(MessageDeframer.FIRST_PIECE); // not 4 MiB
    deframer.deframe(ByteBuffer.wrap(input, MessageFramer.HEADER_LENGTH, 100));
    assertThat(stats.bytesHeld()).isEqualTo(MessageDeframer.FIRST_PIECE);

    for (int at = MessageFramer.HEADER_LENGTH + 100; at < input.length; at += 65_536) {
      deframer.deframe(ByteBuffer.wrap(input, at, Math.min(65_536, input.length - at)));
      int arrived = Math.min(at + 65_536, input.length) - MessageFramer.HEADER_LENGTH;
      assertThat(stats.bytesHeld())
          .isLessThanOrEqualTo(
              (long) MessageDeframer.GROWTH * arrived + MessageDeframer.FIRST_PIECE);
    }
    assertThat(received).singleElement().satisfies(m -> assertThat(m.bytes()).isEqualTo(message));
    assertThat(stats.bytesHeld()).isZero();
    assertThat(processed).isEqualTo(input.length);
  }

  @Test
  void aMessageCutOffInPieces_givesBackWhatItHeld() {
    MessageDeframer deframer = new MessageDeframer(listener, 1 << 20, stats);
    deframer.request(1);
    byte[] input = MessageFramer.frame(new byte[100_000]);
    deframer.deframe(ByteBuffer.wrap(input, 0, 30_000));
    assertThat(stats.bytesHeld()).isPositive();

    deframer.closeWhenComplete();

    assertThat(failures).singleElement().extracting(Status::code).isEqualTo(Status.Code.INTERNAL);
    assertThat(stats.bytesHeld()).isZero();
  }

  @Test
  void deframe_oneByteAtATime_yieldsWholeMessages() {
    MessageDeframer deframer = new MessageDeframer(listener, 1024, stats);
    deframer.request(10);
    byte[] input = framed("alpha", "", "gamma");
    for (byte b : input) {
      deframer.deframe(ByteBuffer.wrap(new byte[] {b}));
    }
    assertThat(messages()).containsExactly("alpha", "", "gamma");
    assertThat(processed).isEqualTo(input.length);
  }

  @Test
  void deframe_withoutRequest_holdsBytesAndCreditsNothing() {
    MessageDeframer deframer = new MessageDeframer(listener, 1024, stats);
    byte[] input = framed("one", "two", "three");
    deframer.deframe(ByteBuffer.wrap(input));
    assertThat(messages()).isEmpty();
    assertThat(processed).isZero();
    assertThat(deframer.pendingBytes()).isEqualTo(input.length);

    deframer.request(2);
    assertThat(messages()).containsExactly("one", "two");
    assertThat(processed).isEqualTo(framed("one", "two").length);

    deframer.request(1);
    assertThat(messages()).containsExactly("one", "two", "three");
    assertThat(processed).isEqualTo(input.length);
    assertThat(deframer.pendingBytes()).isZero();
  }

  @Test
  void closeWhenComplete_afterPendingMessagesAreRead_reportsEndOfStream() {
    MessageDeframer deframer = new MessageDeframer(listener, 1024, stats);
    deframer.deframe(ByteBuffer.wrap(framed("last")));
    deframer.closeWhenComplete();
    assertThat(ended).isFalse();
    deframer.request(1);
    assertThat(messages()).containsExactly("last");
    assertThat(ended).isTrue();
  }

  @Test
  void closeWhenComplete_midMessage_failsInternal_andHoldsNothing() {
    MessageDeframer deframer = new MessageDeframer(listener, 1024, stats);
    deframer.request(1);
    byte[] input = framed("truncated");
    deframer.deframe(ByteBuffer.wrap(input, 0, input.length - 2));
    assertThat(stats.bytesHeld()).isPositive(); // the message begun
    deframer.closeWhenComplete();
    assertThat(failures)
        .singleElement()
        .satisfies(s -> assertThat(s.code()).isEqualTo(Status.Code.INTERNAL));
    assertThat(stats.bytesHeld()).isZero();
    assertThat(ended).isFalse();
  }

  @Test
  void heldHeaderOverLimit_readLater_failsResourceExhausted_andHoldsNothing() {
    // The header arrives while no message is wanted, so it is kept; the failure then comes while
    // reading from what was kept, and ends everything the deframer holds.
    MessageDeframer deframer = new MessageDeframer(listener, 4, stats);
    byte[] header = new byte[5];
    MessageFramer.writeHeader(header, 0, 1000, false);
    deframer.deframe(ByteBuffer.wrap(header));
    assertThat(deframer.pendingBytes()).isEqualTo(5);
    deframer.request(1);
    assertThat(failures)
        .singleElement()
        .satisfies(s -> assertThat(s.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    assertThat(deframer.pendingBytes()).isZero();
    assertThat(stats.bytesHeld()).isZero();
    deframer.deframe(ByteBuffer.wrap(framed("after")));
    assertThat(messages()).isEmpty();
  }

  @Test
  void messageOverLimit_failsResourceExhausted_beforeAllocating() {
    MessageDeframer deframer = new MessageDeframer(listener, 4, stats);
    deframer.request(1);
    byte[] header = new byte[5];
    MessageFramer.writeHeader(header, 0, Integer.MAX_VALUE, false);
    deframer.deframe(ByteBuffer.wrap(header));
    assertThat(failures)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(s.description()).contains("2147483647").contains("4 bytes");
            });
  }

  @Test
  void compressedFlagWithoutEncoding_failsInternal() {
    MessageDeframer deframer = new MessageDeframer(listener, 1024, stats);
    deframer.request(1);
    byte[] input = framed("zip");
    input[0] = MessageFramer.COMPRESSED_FLAG;
    deframer.deframe(ByteBuffer.wrap(input));
    assertThat(failures)
        .singleElement()
        .satisfies(s -> assertThat(s.description()).contains("grpc-encoding"));
    assertThat(messages()).isEmpty();
  }

  @Test
  void compressedMessage_withEncoding_isHandedOnCompressed_andDecompressesWhenRead() {
    MessageDeframer deframer = new MessageDeframer(listener, 1024, stats);
    deframer.setDecompression(Compression.GZIP);
    deframer.request(2);
    byte[] zipped = Compression.GZIP.compress("squeezed".getBytes(StandardCharsets.UTF_8));
    deframer.deframe(ByteBuffer.wrap(MessageFramer.frame(zipped, true)));
    deframer.deframe(ByteBuffer.wrap(framed("plain")));
    assertThat(received.get(0).wireSize()).isEqualTo(zipped.length);
    assertThat(messages()).containsExactly("z:squeezed", "plain");
  }

  @Test
  void compressedMessage_expandingPastTheLimit_failsResourceExhaustedWhenRead() {
    MessageDeframer deframer = new MessageDeframer(listener, 100_000, stats);
    deframer.setDecompression(Compression.GZIP);
    deframer.request(1);
    byte[] bomb = Compression.GZIP.compress(new byte[10_000_000]);
    assertThat(bomb.length).isLessThan(100_000);
    deframer.deframe(ByteBuffer.wrap(MessageFramer.frame(bomb, true)));
    assertThat(failures).as("the network thread does not inflate").isEmpty();
    WireMessage message = received.get(0);
    assertThat(message.wasCompressed()).isTrue();
    assertThatThrownBy(message::bytes)
        .isInstanceOfSatisfying(
            StatusException.class,
            e -> {
              assertThat(e.getStatus().code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().description()).contains("100000");
            });
  }

  @Test
  void close_creditsBufferedBytes() {
    MessageDeframer deframer = new MessageDeframer(listener, 1024, stats);
    byte[] input = framed("unread", "also unread");
    deframer.deframe(ByteBuffer.wrap(input));
    assertThat(processed).isZero();
    deframer.close();
    assertThat(processed).isEqualTo(input.length);
  }

  @Test
  void failureMidFrame_creditsTheRestOfTheFrame() {
    MessageDeframer deframer = new MessageDeframer(listener, 4, stats);
    deframer.request(1);
    byte[] input = framed("too long for the limit", "next");
    deframer.deframe(ByteBuffer.wrap(input));
    assertThat(failures).hasSize(1);
    assertThat(processed).isEqualTo(input.length);
  }

  @Test
  void afterClose_bytesAreDroppedButCredited() {
    MessageDeframer deframer = new MessageDeframer(listener, 1024, stats);
    deframer.close();
    deframer.deframe(ByteBuffer.wrap(framed("ignored")));
    assertThat(messages()).isEmpty();
    assertThat(processed).isEqualTo(framed("ignored").length);
  }

  @Test
  void requestInsideCallback_continuesDelivery() {
    List<String> got = new ArrayList<>();
    MessageDeframer[] holder = new MessageDeframer[1];
    holder[0] =
        new MessageDeframer(
            new MessageDeframer.Listener() {
              @Override
              public void messageRead(WireMessage message) {
                got.add(new String(message.bytes(), StandardCharsets.UTF_8));
                holder[0].request(1);
              }

              @Override
              public void bytesProcessed(int count) {}

              @Override
              public void endOfStream() {}

              @Override
              public void deframeFailed(Status status) {}
            },
            1024,
            stats);
    holder[0].deframe(ByteBuffer.wrap(framed("a", "b", "c")));
    holder[0].request(1);
    assertThat(got).containsExactly("a", "b", "c");
  }

  @Test
  void bytesHeld_countsWhatWaitsForARequest_andNothingOnceHandedOut() {
    MessageDeframer deframer = new MessageDeframer(listener, 1024, stats);
    byte[] input = framed("one", "two");
    deframer.deframe(ByteBuffer.wrap(input));
    assertThat(stats.bytesHeld()).isEqualTo(input.length);
    deframer.request(2);
    assertThat(messages()).containsExactly("one", "two");
    assertThat(stats.bytesHeld()).isZero();
  }
}
