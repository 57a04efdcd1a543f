package io.tri4j.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.tri4j.internal.TransportStats;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundBufferTest {
  private final ByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
  private final TransportStats stats = new TransportStats();

  private static ByteBuf bytes(int size, int seed) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (seed + i);
    }
    return Unpooled.wrappedBuffer(b);
  }

  @Test
  void onlyTheFirstAddAfterATakeAsksForOne() {
    OutboundBuffer batch = new OutboundBuffer(stats);
    assertThat(batch.add(bytes(5, 0))).isTrue();
    assertThat(batch.add(bytes(5, 1))).isFalse();
    batch.take(alloc).release();
    assertThat(batch.add(bytes(5, 2))).isTrue();
    batch.take(alloc).release();
    assertThat(batch.take(alloc)).isNull();
  }

  @Test
  void oneDirectMessage_isSentAsItIs() {
    OutboundBuffer batch = new OutboundBuffer(stats);
    ByteBuf message = alloc.directBuffer(10).writeBytes(bytes(10, 3));
    batch.add(message);
    assertThat(batch.take(alloc)).isSameAs(message);
    message.release();
  }

  @Test
  void oneSmallHeapMessage_isCopiedIntoADirectBuffer_andReleased() {
    OutboundBuffer batch = new OutboundBuffer(stats);
    ByteBuf message = bytes(10, 3);
    ByteBuf expected = message.copy();
    batch.add(message);

    ByteBuf out = batch.take(alloc);

    assertThat(out.isDirect()).isTrue();
    assertThat(out).isEqualTo(expected);
    assertThat(HeadroomFrameWriter.hasRoom(out)).as("room for the DATA frame's header").isTrue();
    assertThat(message.refCnt()).isZero();
    out.release();
  }

  @Test
  void oneLargeHeapMessage_isSentAsItIs() {
    OutboundBuffer batch = new OutboundBuffer(stats);
    ByteBuf message = bytes(OutboundBuffer.COPY_LIMIT + 1, 3);
    batch.add(message);
    assertThat(batch.take(alloc)).isSameAs(message);
    message.release();
  }

  @Test
  void smallMessages_areCopiedInOrderIntoOneBuffer_andReleased() {
    OutboundBuffer batch = new OutboundBuffer(stats);
    List<ByteBuf> messages = new ArrayList<>();
    ByteBuf expected = Unpooled.buffer();
    for (int i = 0; i < 100; i++) {
      ByteBuf m = bytes(7 + i, i);
      expected.writeBytes(m, m.readerIndex(), m.readableBytes());
      messages.add(m);
      batch.add(m);
    }
    ByteBuf out = batch.take(alloc);
    assertThat(out).isNotInstanceOf(CompositeByteBuf.class);
    assertThat(out).isEqualTo(expected);
    assertThat(HeadroomFrameWriter.hasRoom(out)).as("room for the DATA frame's header").isTrue();
    assertThat(messages).allSatisfy(m -> assertThat(m.refCnt()).isZero());
    out.release();
  }

  @Test
  void largeBatches_areChainedWithoutCopying() {
    OutboundBuffer batch = new OutboundBuffer(stats);
    ByteBuf a = bytes(OutboundBuffer.COPY_LIMIT, 1);
    ByteBuf b = bytes(10, 2);
    batch.add(a.retainedDuplicate());
    batch.add(b.retainedDuplicate());
    ByteBuf out = batch.take(alloc);
    assertThat(out).isInstanceOf(CompositeByteBuf.class);
    assertThat(out).isEqualTo(Unpooled.wrappedBuffer(a, b));
    out.release();
  }

  @Test
  void framedArrays_andBuffers_areTakenInOrder_andCounted() {
    OutboundBuffer batch = new OutboundBuffer(stats);
    byte[] first = ByteBufUtil.getBytes(bytes(6, 1));
    ByteBuf second = bytes(4, 2);
    byte[] third = ByteBufUtil.getBytes(bytes(3, 3));
    ByteBuf expected = Unpooled.wrappedBuffer(first, ByteBufUtil.getBytes(second), third);
    batch.add(first);
    batch.add(second);
    batch.add(third);
    assertThat(stats.bytesHeld()).isEqualTo(13);

    ByteBuf out = batch.take(alloc);

    assertThat(out).isEqualTo(expected);
    assertThat(out.isDirect()).isTrue();
    assertThat(HeadroomFrameWriter.hasRoom(out)).isTrue();
    assertThat(second.refCnt()).isZero();
    out.release();
  }

  @Test
  void oneFramedArray_isCopiedIntoADirectBufferWithRoom() {
    OutboundBuffer batch = new OutboundBuffer(stats);
    byte[] framed = ByteBufUtil.getBytes(bytes(9, 4));
    batch.add(framed);

    ByteBuf out = batch.take(alloc);

    assertThat(ByteBufUtil.getBytes(out)).isEqualTo(framed);
    assertThat(out.isDirect()).isTrue();
    assertThat(HeadroomFrameWriter.hasRoom(out)).isTrue();
    out.release();
  }

  @Test
  void framedArrays_pastTheCopyLimit_areChainedWithoutCopying() {
    OutboundBuffer batch = new OutboundBuffer(stats);
    byte[] a = ByteBufUtil.getBytes(bytes(OutboundBuffer.COPY_LIMIT - 5, 1));
    ByteBuf b = bytes(10, 2);
    batch.add(a);
    batch.add(b.retainedDuplicate());
    ByteBuf out = batch.take(alloc);
    assertThat(out).isInstanceOf(CompositeByteBuf.class);
    assertThat(out).isEqualTo(Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(a), b));
    out.release();
  }

  @Test
  void releaseAll_releasesWhatIsPending() {
    OutboundBuffer batch = new OutboundBuffer(stats);
    ByteBuf a = bytes(10, 1);
    ByteBuf b = bytes(10, 2);
    batch.add(a);
    batch.add(b);
    batch.releaseAll();
    assertThat(a.refCnt()).isZero();
    assertThat(b.refCnt()).isZero();
    assertThat(batch.take(alloc)).isNull();
  }

  @Test
  void releaseAll_releasesASingleMessagePending() {
    OutboundBuffer batch = new OutboundBuffer(stats);
    ByteBuf a = bytes(10, 1);
    batch.add(a);
    assertThat(batch.isEmpty()).isFalse();
    batch.releaseAll();
    assertThat(a.refCnt()).isZero();
    assertThat(batch.isEmpty()).isTrue();
    assertThat(batch.take(alloc)).isNull();
  }

  @Test
  void aSingleMessage_thenSeveral_thenOne_areTakenInOrder() {
    OutboundBuffer batch = new OutboundBuffer(stats);
    batch.add(new byte[] {1});
    ByteBuf out = batch.take(alloc);
    assertThat(ByteBufUtil.getBytes(out)).containsExactly(1);
    out.release();
    assertThat(batch.isEmpty()).isTrue();

    batch.add(new byte[] {2});
    batch.add(new byte[] {3});
    batch.add(new byte[] {4});
    out = batch.take(alloc);
    assertThat(ByteBufUtil.getBytes(out)).containsExactly(2, 3, 4);
    out.release();
    assertThat(batch.isEmpty()).isTrue();

    batch.add(new byte[] {5});
    out = batch.take(alloc);
    assertThat(ByteBufUtil.getBytes(out)).containsExactly(5);
    out.release();
    assertThat(batch.take(alloc)).isNull();
  }

  /**
   * Writers on several threads hand over numbered messages while one thread takes, as the event
   * loop does: each message comes out once, and each writer's in the order it added them.
   */
  @Test
  void concurrentWriters_andATaker_loseNothing_andKeepEachWritersOrder() throws Exception {
    int writers = 3;
    int perWriter = 20_000;
    OutboundBuffer batch = new OutboundBuffer(stats);
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(writers);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      Thread t =
          new Thread(
              () -> {
                for (int i = 0; i < perWriter; i++) {
                  batch.add(
                      new byte[] {(byte) writer, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
                }
                done.countDown();
              });
      threads.add(t);
      t.start();
    }
    int[] next = new int[writers];
    int taken = 0;
    boolean writing = true;
    while (writing || !batch.isEmpty()) {
      writing = done.getCount() > 0;
      ByteBuf out = batch.take(alloc);
      if (out == null) {
        Thread.onSpinWait();
        continue;
      }
      assertThat(out.readableBytes() % 4).isZero();
      while (out.isReadable()) {
        int writer = out.readByte();
        int i = out.readMedium();
        assertThat(i).as("writer %d's next message", writer).isEqualTo(next[writer]);
        next[writer]++;
        taken++;
      }
      out.release();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(taken).isEqualTo(writers * perWriter);
    assertThat(next).containsOnly(perWriter);
  }

  @Test
  void onSent_fallingBelowTheThreshold_reportsReadyOnce() {
    OutboundBuffer buffer = new OutboundBuffer(stats);
    buffer.hold(OutboundBuffer.READY_THRESHOLD);
    assertThat(buffer.isReady()).isFalse();
    assertThat(stats.bytesHeld()).isEqualTo(OutboundBuffer.READY_THRESHOLD);
    assertThat(buffer.onSent(10)).isTrue();
    assertThat(buffer.isReady()).isTrue();
    assertThat(buffer.onSent(10)).isFalse();
    assertThat(stats.bytesHeld()).isEqualTo(OutboundBuffer.READY_THRESHOLD - 20);
  }

  @Test
  void onSent_whileStillAboveTheThreshold_reportsNothing() {
    OutboundBuffer buffer = new OutboundBuffer(stats);
    buffer.hold(OutboundBuffer.READY_THRESHOLD + 20);
    assertThat(buffer.onSent(10)).isFalse();
    assertThat(buffer.isReady()).isFalse();
  }

  @Test
  void releaseAll_forgetsHeldBytes_andLaterSendsReportNothing() {
    OutboundBuffer buffer = new OutboundBuffer(stats);
    ByteBuf a = bytes(OutboundBuffer.READY_THRESHOLD, 1);
    buffer.add(a);
    assertThat(buffer.isReady()).isFalse();
    buffer.releaseAll();
    assertThat(a.refCnt()).isZero();
    assertThat(buffer.isReady()).isTrue();
    assertThat(stats.bytesHeld()).isZero();
    assertThat(buffer.onSent(OutboundBuffer.READY_THRESHOLD)).isFalse();
    assertThat(stats.bytesHeld()).isZero();
  }
}
