package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.handler.codec.http2.ReadOnlyHttp2Headers;
import java.security.SecureRandom;
import java.util.Map;

/**
 * Netty's frame writer, but HEADERS and DATA frames go out as one buffer each, the frame header
 * written into room left in front of the payload: one buffer, one channel write and the caller's
 * promise per frame, instead of Netty's separate header buffer (and for HEADERS a slice of the
 * header block), two writes and a promise aggregating them. A header block is HPACK-encoded
 * straight after such room; one larger than a frame goes out as HEADERS and CONTINUATION frames,
 * still in one buffer. Padded frames, and DATA whose payload has no room, are written as Netty
 * writes them.
 *
 * <p>A DATA payload's room is recognized, never assumed: it must have been allocated with it
 * ({@link #buffer}), its reader index must sit exactly past the room, the room must still hold this
 * process's random mark (no peer ever sees it: the room is overwritten before anything is sent, and
 * bytes before a reader index are never sent), and the buffer must be nobody else's: no other
 * holder ({@code refCnt() == 1}) and no view of another buffer (a duplicate or slice with a count
 * of its own; the leak detector's wrapper is the same buffer), so that the bytes overwritten are
 * its own. The remainder of a payload that flow control split has its reader index past the room
 * and is written as Netty writes it.
 */
final class HeadroomFrameWriter extends DefaultHttp2FrameWriter {
  /** Bytes of room in front of a payload: one frame header. */
  static final int HEADROOM = Http2CodecUtil.FRAME_HEADER_LENGTH;

  private static final long MARK = new SecureRandom().nextLong();

  /** Room for a typical header block; the buffer grows for a larger one. */
  private static final int HEADER_BLOCK_CAPACITY = 256;

  private final Http2HeadersEncoder headersEncoder;

  /**
   * The last two read-only header sets written and their header list sizes: a connection writes the
   * same few fixed sets (a server's response headers and OK trailers) over and over.
   */
  private Http2Headers fixedA;

  private Http2Headers fixedB;
  private long fixedSizeA;
  private long fixedSizeB;

  HeadroomFrameWriter() {
    // The peer's header list size is checked here (checkListSize), not by the HPACK encoder, which
    // would walk every header set twice, with an iterator object each time.
    this(new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, true));
  }

  private HeadroomFrameWriter(Http2HeadersEncoder headersEncoder) {
    super(headersEncoder); // Netty's frame writer shares it: settings reach it either way
    this.headersEncoder = headersEncoder;
  }

  /**
   * An empty direct buffer for at least {@code size} payload bytes from {@code alloc}, with room
   * for a DATA frame's header in front of its reader index.
   */
  static ByteBuf buffer(ByteBufAllocator alloc, int size) {
    ByteBuf buffer = alloc.directBuffer(HEADROOM + size);
    buffer.setLong(0, MARK);
    buffer.setIndex(HEADROOM, HEADROOM);
    return buffer;
  }

  /** Whether the bytes in front of {@code data}'s reader index are room this writer may fill. */
  static boolean hasRoom(ByteBuf data) {
    if (data.readerIndex() != HEADROOM || data.refCnt() != 1 || data.isReadOnly()) {
      return false;
    }
    // A view of another buffer is not its own, unless the view is the leak detector's wrapper: the
    // same buffer under the same count, itself no view.
    ByteBuf inner = data.unwrap();
    if (inner != null && (inner.refCnt() != 1 || inner.unwrap() != null)) {
      return false;
    }
    return data.getLong(0) == MARK;
  }

  @Override
  public ChannelFuture writeData(
      ChannelHandlerContext ctx,
      int streamId,
      ByteBuf data,
      int padding,
      boolean endStream,
      ChannelPromise promise) {
    int length = data.readableBytes();
    if (padding != 0 || streamId <= 0 || length > maxFrameSize() || !hasRoom(data)) {
      return super.writeData(ctx, streamId, data, padding, endStream, promise);
    }
    setFrameHeader(
        data, length, Http2FrameTypes.DATA, endStream ? Http2Flags.END_STREAM : 0, streamId);
    data.readerIndex(0);
    return ctx.write(data, promise);
  }

  @Override
  public ChannelFuture writeHeaders(
      ChannelHandlerContext ctx,
      int streamId,
      Http2Headers headers,
      int padding,
      boolean endStream,
      ChannelPromise promise) {
    if (padding != 0) {
      if (!fitsListSize(streamId, headers, promise)) {
        return promise;
      }
      return super.writeHeaders(ctx, streamId, headers, padding, endStream, promise);
    }
    ByteBuf frames;
    try {
      frames = headersFrames(ctx, streamId, headers, endStream);
    } catch (Throwable t) {
      promise.tryFailure(t);
      return promise;
    }
    return ctx.write(frames, promise);
  }

  /**
   * {@code headers} on {@code streamId} as unpadded frames in one buffer, ready to write: a HEADERS
   * frame, with CONTINUATION frames after it if the block is larger than a frame. Throws, keeping
   * no buffer, if the set is larger than the peer accepts or cannot be encoded.
   */
  ByteBuf headersFrames(
      ChannelHandlerContext ctx, int streamId, Http2Headers headers, boolean endStream)
      throws Http2Exception {
    checkListSize(streamId, headers);
    if (streamId <= 0) {
      throw new IllegalArgumentException("Stream ID must be > 0");
    }
    ByteBuf block = ctx.alloc().directBuffer(HEADROOM + HEADER_BLOCK_CAPACITY);
    try {
      block.setIndex(HEADROOM, HEADROOM);
      headersEncoder.encodeHeaders(streamId, headers, block);
      int length = block.readableBytes();
      int flags = endStream ? Http2Flags.END_STREAM : 0;
      if (length <= maxFrameSize()) {
        setFrameHeader(
            block, length, Http2FrameTypes.HEADERS, flags | Http2Flags.END_HEADERS, streamId);
        ByteBuf frames = block.readerIndex(0);
        block = null;
        return frames;
      }
      return continued(ctx.alloc(), block, flags, streamId);
    } finally {
      if (block != null) {
        block.release();
      }
    }
  }

  @Override
  public ChannelFuture writeHeaders(
      ChannelHandlerContext ctx,
      int streamId,
      Http2Headers headers,
      int streamDependency,
      short weight,
      boolean exclusive,
      int padding,
      boolean endStream,
      ChannelPromise promise) {
    if (!fitsListSize(streamId, headers, promise)) {
      return promise;
    }
    return super.writeHeaders(
        ctx, streamId, headers, streamDependency, weight, exclusive, padding, endStream, promise);
  }

  @Override
  public ChannelFuture writePushPromise(
      ChannelHandlerContext ctx,
      int streamId,
      int promisedStreamId,
      Http2Headers headers,
      int padding,
      ChannelPromise promise) {
    if (!fitsListSize(streamId, headers, promise)) {
      return promise;
    }
    return super.writePushPromise(ctx, streamId, promisedStreamId, headers, padding, promise);
  }

  /** {@link #checkListSize}, failing {@code promise} if the set is too large. */
  private boolean fitsListSize(int streamId, Http2Headers headers, ChannelPromise promise) {
    try {
      checkListSize(streamId, headers);
      return true;
    } catch (Http2Exception e) {
      promise.tryFailure(e);
      return false;
    }
  }

  /**
   * Fails, as Netty's HPACK encoder would, a header set larger than the peer's header list size
   * (its SETTINGS_MAX_HEADER_LIST_SIZE; nothing to check if it set none), before the set changes
   * the HPACK state. A read-only set's size is remembered for the next time it is written.
   */
  private void checkListSize(int streamId, Http2Headers headers) throws Http2Exception {
    long max = headersEncoder.configuration().maxHeaderListSize();
    if (max >= Http2CodecUtil.MAX_HEADER_LIST_SIZE) {
      return;
    }
    long size;
    if (headers == fixedA) {
      size = fixedSizeA;
    } else if (headers == fixedB) {
      size = fixedSizeB;
    } else {
      size = listSize(headers);
      if (headers instanceof ReadOnlyHttp2Headers) {
        fixedB = fixedA;
        fixedSizeB = fixedSizeA;
        fixedA = headers;
        fixedSizeA = size;
      }
    }
    if (size > max) {
      Http2CodecUtil.headerListSizeExceeded(streamId, max, false);
    }
  }

  /** The header list size of {@code headers}, as HTTP/2 counts it: 32 more bytes per field. */
  static long listSize(Http2Headers headers) {
    long size = 0;
    for (Map.Entry<CharSequence, CharSequence> header : headers) {
      size += header.getKey().length() + header.getValue().length() + 32L;
    }
    return size;
  }

  /**
   * A header block larger than a frame, as a HEADERS frame and CONTINUATION frames in one new
   * buffer; END_STREAM ({@code flags}) goes on the HEADERS frame, END_HEADERS on the last.
   */
  private ByteBuf continued(ByteBufAllocator alloc, ByteBuf block, int flags, int streamId) {
    int max = maxFrameSize();
    int length = block.readableBytes();
    int frames = (length + max - 1) / max;
    ByteBuf out = alloc.directBuffer(length + frames * HEADROOM);
    byte type = Http2FrameTypes.HEADERS;
    while (block.isReadable()) {
      int n = Math.min(max, block.readableBytes());
      boolean last = n == block.readableBytes();
      out.writeMedium(n);
      out.writeByte(type);
      out.writeByte(flags | (last ? Http2Flags.END_HEADERS : 0));
      out.writeInt(streamId);
      out.writeBytes(block, n);
      type = Http2FrameTypes.CONTINUATION;
      flags = 0;
    }
    return out;
  }

  private static void setFrameHeader(
      ByteBuf buffer, int length, byte type, int flags, int streamId) {
    buffer.setMedium(0, length);
    buffer.setByte(3, type);
    buffer.setByte(4, flags);
    buffer.setInt(5, streamId);
  }
}
