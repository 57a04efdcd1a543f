package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameReader;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersDecoder;

/**
 * Reads the frames of every call, DATA and HEADERS, where they lie in the input buffer, and hands
 * every other frame to Netty's reader. Netty's reader makes a slice of the input per frame, a flags
 * object per frame and, per HEADERS, a continuation object, a block builder and a retained slice of
 * the block (about 270 bytes per unary call and side); read in place, the listener is given the
 * input itself with its indices set to the frame's payload, and a header block is decoded from it.
 *
 * <p>Read in place, and checked as Netty's reader checks them, are: DATA without padding and
 * HEADERS that end their header block without padding or priority, on a stream other than 0, of at
 * most the largest frame this end accepts, complete in the input, and (HEADERS) no longer than the
 * header list size at which Netty's reader ends the connection. Anything else, while a header block
 * goes on in CONTINUATION frames too, goes to Netty's reader, one whole frame at a time, so that
 * its checks and errors apply unchanged; a frame announced longer than the largest accepted goes to
 * it at once (it ends the connection). As in Netty's reader, a frame whose processing failed is
 * still consumed whole, and after a connection error the rest of the input is skipped.
 *
 * <p>The listener must not keep the buffer it is given for DATA past the call (tri4j's listeners
 * copy or consume what they take): it is the connection's input buffer.
 */
final class InPlaceFrameReader implements Http2FrameReader {
  private static final int HEADER_LENGTH = Http2CodecUtil.FRAME_HEADER_LENGTH;

  private final Http2FrameReader netty;
  private final Http2HeadersDecoder headersDecoder;

  /** Netty's reader is amid a header block: every frame goes to it until the block's end. */
  private boolean inHeaderBlock;

  /** A connection error was read: the rest of the input is skipped. */
  private boolean readError;

  InPlaceFrameReader(Http2FrameReader netty, Http2HeadersDecoder headersDecoder) {
    this.netty = netty;
    this.headersDecoder = headersDecoder;
  }

  @Override
  public void readFrame(ChannelHandlerContext ctx, ByteBuf input, Http2FrameListener listener)
      throws Http2Exception {
    if (readError) {
      input.skipBytes(input.readableBytes());
      return;
    }
    try {
      readFrames(ctx, input, listener);
    } catch (Http2Exception e) {
      readError = !Http2Exception.isStreamError(e);
      throw e;
    } catch (Throwable t) {
      readError = true;
      throw t;
    }
  }

  private void readFrames(ChannelHandlerContext ctx, ByteBuf input, Http2FrameListener listener)
      throws Http2Exception {
    while (input.readableBytes() >= HEADER_LENGTH) {
      int start = input.readerIndex();
      int length = input.getUnsignedMedium(start);
      if (length > netty.configuration().frameSizePolicy().maxFrameSize()) {
        netty.readFrame(ctx, input, listener); // fails the connection
        return;
      }
      if (input.readableBytes() < HEADER_LENGTH + length) {
        return; // the rest of the frame is still on its way
      }
      byte type = input.getByte(start + 3);
      short flags = input.getUnsignedByte(start + 4);
      int streamId = input.getInt(start + 5) & 0x7fffffff;
      if (!inHeaderBlock && streamId != 0 && readsInPlace(type, flags, length)) {
        readInPlace(ctx, input, listener, type, flags, streamId, start, length);
      } else {
        ByteBuf frame = input.readSlice(HEADER_LENGTH + length);
        if (type == Http2FrameTypes.HEADERS
            || type == Http2FrameTypes.PUSH_PROMISE
            || type == Http2FrameTypes.CONTINUATION) {
          inHeaderBlock = (flags & Http2Flags.END_HEADERS) == 0;
        }
        netty.readFrame(ctx, frame, listener);
      }
    }
  }

  private boolean readsInPlace(byte type, short flags, int length) {
    return switch (type) {
      case Http2FrameTypes.DATA -> (flags & Http2Flags.PADDED) == 0;
      case Http2FrameTypes.HEADERS ->
          (flags & (Http2Flags.PADDED | Http2Flags.PRIORITY | Http2Flags.END_HEADERS))
                  == Http2Flags.END_HEADERS
              && length <= headersDecoder.configuration().maxHeaderListSizeGoAway();
      default -> false;
    };
  }

  private void readInPlace(
      ChannelHandlerContext ctx,
      ByteBuf input,
      Http2FrameListener listener,
      byte type,
      short flags,
      int streamId,
      int start,
      int length)
      throws Http2Exception {
    int end = start + HEADER_LENGTH + length;
    int writerIndex = input.writerIndex();
    boolean endOfStream = (flags & Http2Flags.END_STREAM) != 0;
    try {
      input.setIndex(start + HEADER_LENGTH, end);
      if (type == Http2FrameTypes.DATA) {
        listener.onDataRead(ctx, streamId, input, 0, endOfStream);
      } else {
        Http2Headers headers = headersDecoder.decodeHeaders(streamId, input);
        listener.onHeadersRead(ctx, streamId, headers, 0, endOfStream);
      }
    } finally {
      input.setIndex(end, writerIndex); // the frame is consumed whatever happened
    }
  }

  @Override
  public Configuration configuration() {
    return netty.configuration();
  }

  @Override
  public void close() {
    netty.close();
  }
}
