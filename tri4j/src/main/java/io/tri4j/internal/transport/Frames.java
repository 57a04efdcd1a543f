package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.internal.codec.EnvelopeSplitter;
import io.tri4j.internal.codec.MessageDeframer;
import io.tri4j.internal.codec.MessageFramer;
import io.tri4j.internal.codec.OutboundMessage;
import java.nio.ByteBuffer;

/**
 * gRPC messages to and from Netty's buffers, for client and server streams: outbound messages
 * framed with their prefix, inbound DATA handed to a {@link MessageDeframer}.
 */
final class Frames {
  private Frames() {}

  /**
   * The message with its 5-byte prefix: a small message is already framed in one array; a large
   * serialized one is wrapped behind a prefix; a large one its serializer writes is written once,
   * straight into pooled buffers from {@code alloc} (in chunks past {@link
   * ChunkedOutput#CHUNK_SIZE}).
   */
  static ByteBuf frame(OutboundMessage message, ByteBufAllocator alloc) {
    byte[] framed = message.framed();
    if (framed != null) {
      return Unpooled.wrappedBuffer(framed);
    }
    byte[] header = new byte[MessageFramer.HEADER_LENGTH];
    MessageFramer.writeHeader(header, 0, message.size(), message.compressed());
    byte[] bytes = message.array();
    if (bytes != null) {
      return Unpooled.wrappedBuffer(header, bytes);
    }
    int size = message.size();
    if (header.length + size > ChunkedOutput.CHUNK_SIZE) {
      ChunkedOutput out = new ChunkedOutput(alloc, header.length + size);
      try {
        out.write(header);
        message.writeTo(out);
        return out.finish();
      } catch (Exception e) {
        out.release();
        throw serializationFailed(e);
      }
    }
    ByteBuf buffer = HeadroomFrameWriter.buffer(alloc, header.length + size);
    try {
      buffer.writeBytes(header);
      ByteBuffer target = buffer.nioBuffer(buffer.writerIndex(), size);
      message.writeTo(target);
      OutboundMessage.checkFull(target, size);
      buffer.writerIndex(buffer.writerIndex() + size);
      return buffer;
    } catch (Exception e) {
      buffer.release();
      throw serializationFailed(e);
    }
  }

  /**
   * As {@link #frame}, then {@link OutboundBuffer#direct}, for a writer on the event loop: a small
   * message's framed array (only a message under {@link OutboundBuffer#COPY_LIMIT} has one) is
   * copied once into a direct buffer from {@code alloc}, with room for its DATA frame's header, and
   * no heap buffer around the array on the way.
   */
  static ByteBuf frameDirect(OutboundMessage message, ByteBufAllocator alloc) {
    return OutboundBuffer.direct(OutboundBuffer.framed(message, alloc), alloc);
  }

  /** The most bytes of a DATA frame that {@link #deframe} copies to its scratch buffer. */
  static final int SCRATCH_SIZE = 512;

  /**
   * Hands the readable bytes of {@code data} to {@code deframer}, which copies what it keeps. Up to
   * the capacity of {@code scratch} (a heap buffer of the caller's, which the deframer does not
   * keep), they are copied there first: a copy of a few hundred bytes costs less than the {@code
   * ByteBuffer} view of a pooled direct buffer that is made otherwise, one per frame.
   */
  static void deframe(ByteBuf data, MessageDeframer deframer, ByteBuffer scratch) {
    int size = data.readableBytes();
    if (size == 0) {
      return;
    }
    if (size <= scratch.capacity()) {
      data.getBytes(data.readerIndex(), scratch.array(), scratch.arrayOffset(), size);
      scratch.clear().limit(size);
      deframer.deframe(scratch);
      return;
    }
    if (data.nioBufferCount() == 1) {
      deframer.deframe(data.nioBuffer());
    } else {
      for (ByteBuffer buffer : data.nioBuffers()) {
        deframer.deframe(buffer);
      }
    }
  }

  /** Hands the readable bytes of {@code data} to {@code splitter}. */
  static void split(ByteBuf data, EnvelopeSplitter splitter) {
    if (!data.isReadable()) {
      return;
    }
    for (ByteBuffer buffer : data.nioBuffers()) {
      splitter.split(buffer);
    }
  }

  static StatusException serializationFailed(Exception e) {
    return Status.INTERNAL
        .withDescription("Failed to serialize a message: " + e)
        .withCause(e)
        .asException();
  }
}
