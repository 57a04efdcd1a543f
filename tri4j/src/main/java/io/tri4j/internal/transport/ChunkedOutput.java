package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.io.OutputStream;

/**
 * Collects a framed message of known size into pooled buffers of at most {@link #CHUNK_SIZE} bytes,
 * so a large message is never one buffer too big for the allocator's pools.
 */
final class ChunkedOutput extends OutputStream {
  static final int CHUNK_SIZE = 256 * 1024;

  private final ByteBufAllocator alloc;
  private final CompositeByteBuf chunks;
  private int remaining;
  private ByteBuf current;

  ChunkedOutput(ByteBufAllocator alloc, int size) {
    this.alloc = alloc;
    this.chunks = alloc.compositeBuffer((size + CHUNK_SIZE - 1) / CHUNK_SIZE);
    this.remaining = size;
  }

  @Override
  public void write(int b) {
    next(1).writeByte(b);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    while (len > 0) {
      ByteBuf chunk = next(len);
      int n = Math.min(len, chunk.writableBytes());
      chunk.writeBytes(b, off, n);
      off += n;
      len -= n;
    }
  }

  /** The chunk to write into; a full one joins the composite and a new one is started. */
  private ByteBuf next(int wanted) {
    if (current != null && !current.isWritable()) {
      chunks.addComponent(true, current);
      current = null;
    }
    if (current == null) {
      if (remaining < wanted) {
        throw new IllegalStateException("The serializer wrote more bytes than it declared");
      }
      int capacity = Math.min(CHUNK_SIZE, remaining);
      current = alloc.buffer(capacity, capacity);
      remaining -= capacity;
    }
    return current;
  }

  /** Every byte written: the framed message. */
  ByteBuf finish() {
    if (current != null) {
      if (current.isWritable()) {
        throw new IllegalStateException("The serializer wrote fewer bytes than it declared");
      }
      chunks.addComponent(true, current);
      current = null;
    }
    if (remaining != 0) {
      throw new IllegalStateException("The serializer wrote fewer bytes than it declared");
    }
    return chunks;
  }

  void release() {
    if (current != null) {
      current.release();
      current = null;
    }
    chunks.release();
  }
}
