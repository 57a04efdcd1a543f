package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The framed messages one stream's writers have handed over and the event loop has not taken yet.
 * However many pile up between two turns of the event loop, they are taken together and go out as
 * one DATA write: a burst of small messages costs one flow-controlled write, not one each.
 */
final class MessageBatch {
  /** Up to this many bytes in all, a batch is copied into one buffer from the event loop's pool. */
  static final int COPY_LIMIT = 64 * 1024;

  private final Queue<ByteBuf> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** Adds a framed message; returns true if the caller must schedule a {@link #take}. */
  boolean add(ByteBuf framed) {
    pending.add(framed);
    return scheduled.compareAndSet(false, true);
  }

  /** On the event loop: every pending message as one buffer, or null if there is none. */
  ByteBuf take(ByteBufAllocator alloc) {
    scheduled.set(false);
    ByteBuf first = pending.poll();
    if (first == null) {
      return null;
    }
    ByteBuf next = pending.poll();
    if (next == null) {
      return first;
    }
    List<ByteBuf> all = new ArrayList<>();
    all.add(first);
    int total = first.readableBytes();
    for (; next != null; next = pending.poll()) {
      all.add(next);
      total += next.readableBytes();
    }
    if (total <= COPY_LIMIT) {
      ByteBuf out = alloc.directBuffer(total);
      for (ByteBuf b : all) {
        out.writeBytes(b);
        b.release();
      }
      return out;
    }
    CompositeByteBuf out = alloc.compositeBuffer(all.size());
    out.addComponents(true, all);
    return out;
  }

  /** Releases every pending message (the connection is gone). */
  void releaseAll() {
    ByteBuf b;
    while ((b = pending.poll()) != null) {
      b.release();
    }
  }
}
