package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.codec.OutboundMessage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The framed messages one stream's writers have handed over and the connection has not written out
 * yet, for client and server streams alike.
 *
 * <p>Batching: however many messages pile up between two turns of the event loop, they are taken
 * together and go out as one DATA write, so a burst of small messages costs one flow-controlled
 * write, not one each.
 *
 * <p>Counting and readiness: a message counts as held from the moment it is handed over until the
 * connection reports it written (or dropped); the stream is ready for more while fewer than {@link
 * #READY_THRESHOLD} bytes are held, and {@link #onSent} says when it becomes ready again.
 */
final class OutboundBuffer {
  /**
   * Up to this many bytes in all, a batch (or a single message in a heap buffer) is copied into one
   * direct buffer from the event loop's pool.
   */
  static final int COPY_LIMIT = 64 * 1024;

  /** Bytes handed to the connection but not yet written out above which the stream is not ready. */
  static final int READY_THRESHOLD = 64 * 1024;

  // Atomic fields through VarHandles rather than atomic objects per stream.
  private static final VarHandle PENDING;
  private static final VarHandle SCHEDULED;
  private static final VarHandle UNSENT_BYTES;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PENDING = lookup.findVarHandle(OutboundBuffer.class, "pending", Object.class);
      SCHEDULED = lookup.findVarHandle(OutboundBuffer.class, "scheduled", boolean.class);
      UNSENT_BYTES = lookup.findVarHandle(OutboundBuffer.class, "unsentBytes", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Messages handed over and not yet taken, each a {@code ByteBuf} or a small message's framed
   * array ({@link OutboundMessage#framed()}), copied to a direct buffer when taken, with no heap
   * buffer around it meanwhile: null while there are none, the message itself while there is one (a
   * unary response queues nothing), and from a second message on a {@code Queue} of them, which
   * stays (a stream written only from its event loop never makes one).
   */
  private volatile Object pending;

  private volatile boolean scheduled;

  private volatile int unsentBytes;
  private final TransportStats stats;

  /** {@code stats} counts the bytes held. */
  OutboundBuffer(TransportStats stats) {
    this.stats = stats;
  }

  /** Counts {@code size} bytes handed to the connection outside the batch; any thread. */
  void hold(int size) {
    UNSENT_BYTES.getAndAdd(this, size);
    stats.addBytesHeld(size);
  }

  /**
   * Adds a framed message (a buffer, or a framed array from {@link #framed}) to the batch and
   * counts it; any thread. Returns true if the caller must schedule a {@link #take}.
   */
  boolean add(Object framed) {
    hold(size(framed));
    for (; ; ) {
      Object p = pending;
      if (p == null) {
        if (PENDING.compareAndSet(this, null, framed)) {
          break;
        }
      } else if (p instanceof Queue<?>) {
        queue(p).add(framed);
        break;
      } else {
        // A second message: both go in a queue, unless the one pending was taken meanwhile.
        Queue<Object> queue = new ConcurrentLinkedQueue<>();
        queue.add(p);
        queue.add(framed);
        if (PENDING.compareAndSet(this, p, queue)) {
          break;
        }
      }
    }
    return scheduleTake();
  }

  @SuppressWarnings("unchecked")
  private static Queue<Object> queue(Object pending) {
    return (Queue<Object>) pending;
  }

  /**
   * Whether the caller must schedule a {@link #take} because none is scheduled, as {@link #add}
   * tells; for a stream that hands over something else for its next take to carry out. Any thread.
   */
  boolean scheduleTake() {
    return SCHEDULED.compareAndSet(this, false, true);
  }

  /** On the event loop: every pending message as one buffer, or null if there is none. */
  ByteBuf take(ByteBufAllocator alloc) {
    scheduled = false;
    Object p;
    while (!((p = pending) instanceof Queue<?>)) {
      if (p == null) {
        return null;
      }
      if (PENDING.compareAndSet(this, p, null)) {
        return direct(p, alloc);
      }
      // A writer put it in a queue with a second message meanwhile (or releaseAll took it).
    }
    Queue<Object> queue = queue(p);
    Object first = queue.poll();
    if (first == null) {
      return null;
    }
    Object next = queue.poll();
    if (next == null) {
      return direct(first, alloc);
    }
    List<Object> all = new ArrayList<>();
    all.add(first);
    int total = size(first);
    for (; next != null; next = queue.poll()) {
      all.add(next);
      total += size(next);
    }
    if (total <= COPY_LIMIT) {
      ByteBuf out = HeadroomFrameWriter.buffer(alloc, total);
      for (Object b : all) {
        copy(b, out);
      }
      return out;
    }
    CompositeByteBuf out = alloc.compositeBuffer(all.size());
    for (Object b : all) {
      out.addComponent(true, b instanceof byte[] a ? Unpooled.wrappedBuffer(a) : (ByteBuf) b);
    }
    return out;
  }

  /**
   * {@code message} framed for {@link #add}: a small message's framed array as it is, a larger one
   * framed into a buffer from {@code alloc}.
   */
  static Object framed(OutboundMessage message, ByteBufAllocator alloc) {
    byte[] framed = message.framed();
    return framed != null ? framed : Frames.frame(message, alloc);
  }

  /** The bytes of a buffer or framed array. */
  static int size(Object framed) {
    return framed instanceof byte[] a ? a.length : ((ByteBuf) framed).readableBytes();
  }

  /**
   * {@code message}, or if it is a small heap buffer, a direct copy from {@code alloc} (and {@code
   * message} released): the socket would copy it into a direct buffer anyway, less cheaply.
   */
  static ByteBuf direct(ByteBuf message, ByteBufAllocator alloc) {
    if (message.isDirect() || message.readableBytes() > COPY_LIMIT) {
      return message;
    }
    ByteBuf out = HeadroomFrameWriter.buffer(alloc, message.readableBytes());
    copy(message, out);
    return out;
  }

  /** As {@link #direct(ByteBuf, ByteBufAllocator)}, for a buffer or a framed array. */
  static ByteBuf direct(Object framed, ByteBufAllocator alloc) {
    if (framed instanceof byte[] a) {
      return HeadroomFrameWriter.buffer(alloc, a.length).writeBytes(a);
    }
    return direct((ByteBuf) framed, alloc);
  }

  /** Releases {@code framed} if it is a buffer. */
  static void release(Object framed) {
    if (framed instanceof ByteBuf b) {
      b.release();
    }
  }

  /**
   * Appends {@code from} (a buffer or a framed array) to {@code to} and releases it; from an array
   * when there is one, which Netty's buffers copy without making a {@code ByteBuffer} view of
   * either side.
   */
  private static void copy(Object framed, ByteBuf to) {
    if (framed instanceof byte[] a) {
      to.writeBytes(a);
      return;
    }
    ByteBuf from = (ByteBuf) framed;
    try {
      if (from.hasArray()) {
        to.writeBytes(from.array(), from.arrayOffset() + from.readerIndex(), from.readableBytes());
      } else {
        to.writeBytes(from);
      }
    } finally {
      from.release();
    }
  }

  /** Whether no message waits to be taken; any thread. */
  boolean isEmpty() {
    Object p = pending;
    return p == null || (p instanceof Queue<?> queue && queue.isEmpty());
  }

  /** Whether fewer than {@link #READY_THRESHOLD} bytes are held. */
  boolean isReady() {
    return unsentBytes < READY_THRESHOLD;
  }

  /**
   * {@code size} held bytes were written to the socket (or dropped); returns true if that made the
   * stream ready again, the edge on which its writers are told.
   */
  boolean onSent(int size) {
    int before = (int) UNSENT_BYTES.getAndAdd(this, -size);
    if (before <= 0) {
      return false; // already released by releaseAll()
    }
    stats.addBytesHeld(-size);
    return before >= READY_THRESHOLD && before - size < READY_THRESHOLD;
  }

  /** The connection is gone: releases every pending message and stops counting what is held. */
  void releaseAll() {
    Object p;
    while ((p = pending) != null) {
      if (p instanceof Queue<?>) {
        Object b;
        while ((b = queue(p).poll()) != null) {
          release(b);
        }
        break;
      }
      if (PENDING.compareAndSet(this, p, null)) {
        release(p);
        break;
      }
    }
    stats.addBytesHeld(-(int) UNSENT_BYTES.getAndSet(this, 0));
  }
}
