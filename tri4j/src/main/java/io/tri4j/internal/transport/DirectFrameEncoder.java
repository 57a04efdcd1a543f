package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http2.DecoratingHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2LifecycleManager;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * Writes frames straight to the frame writer where Netty's encoder would only add objects around
 * them: DATA that flow control need not hold, and HEADERS whose outcome no one waits for (see
 * {@link #writeHeaders}; the rest of this comment is about DATA).
 *
 * <p>A DATA frame is written at once when flow control has nothing to decide: the peer's windows
 * (the stream's and the connection's) cover it whole, it fits one frame, the channel has room for
 * it, and none of this connection's DATA waits in Netty's flow controller. The frame is then
 * written now, in the order of the calls, its bytes taken from both windows, instead of being
 * queued as a flow-controlled write (an object, a buffer queue and a promise of its own) for the
 * flow controller to write at the next flush, which would write it whole as well. Anything else
 * goes to Netty's flow controller, as before, and while any of it waits there every DATA frame
 * does, so that the flow controller keeps sharing the windows it waits for.
 *
 * <p>END_STREAM on a DATA frame written here closes the stream's sending side as Netty's encoder
 * does, and a DATA frame written here that fails is a connection error, as Netty's flow controller
 * makes it: its bytes are gone from the windows and the peer will never return them.
 *
 * <p>DATA without END_STREAM whose outcome no one waits for (its promise is void: a server's last
 * response bytes, its trailers written right after) is written here with that promise when it may
 * be written at once, and the void promise is returned to tell so; otherwise it gets a promise of
 * its own ({@code ctx.newPromise()}, so that the flow controller's failures, a stream reset while
 * it waits, stay its own), returned. A void promise takes no listener, so a direct write of it that
 * fails is not made a connection error here: its promise must report the failure to the pipeline
 * ({@code new VoidChannelPromise(channel, true)}), whose handler then closes the connection,
 * windows and all, as tri4j's does on a failed write (an I/O or TLS error).
 */
final class DirectFrameEncoder extends DecoratingHttp2ConnectionEncoder {
  private Http2LifecycleManager lifecycleManager;
  private ChannelHandlerContext ctx;

  /**
   * DATA frames handed to Netty's flow controller whose writes have not completed: waiting there,
   * or written by it and not yet out of the channel.
   */
  private int unfinished;

  private final ChannelFutureListener finished = f -> unfinished--;

  private final ChannelFutureListener failed =
      f -> {
        if (!f.isSuccess()) {
          lifecycleManager.onError(ctx, true, f.cause());
        }
      };

  DirectFrameEncoder(Http2ConnectionEncoder delegate) {
    super(delegate);
  }

  @Override
  public void lifecycleManager(Http2LifecycleManager lifecycleManager) {
    this.lifecycleManager = lifecycleManager;
    super.lifecycleManager(lifecycleManager);
  }

  @Override
  public ChannelFuture writeData(
      ChannelHandlerContext ctx,
      int streamId,
      ByteBuf data,
      int padding,
      boolean endStream,
      ChannelPromise promise) {
    Http2Stream stream = connection().stream(streamId);
    if (promise.isVoid() && endStream) {
      // Closing the stream takes a listener: only DATA that closes nothing is written void.
      promise = ctx.newPromise();
    }
    if (padding == 0 && stream != null && writeNow(ctx, stream, data.readableBytes())) {
      if (promise.isVoid()) {
        // No one waits to hear of it (see above): no promise of its own, no listener.
        frameWriter().writeData(ctx, streamId, data, 0, false, promise);
        return promise;
      }
      this.ctx = ctx;
      promise.addListener(failed); // before the close, as Netty's encoder orders them
      frameWriter().writeData(ctx, streamId, data, 0, endStream, promise);
      if (endStream) {
        lifecycleManager.closeStreamLocal(stream, promise);
      }
      return promise;
    }
    if (promise.isVoid()) {
      promise = ctx.newPromise(); // not unvoid(): its failures are the flow controller's to handle
    }
    unfinished++;
    promise.addListener(finished);
    return super.writeData(ctx, streamId, data, padding, endStream, promise);
  }

  /**
   * HEADERS whose outcome nobody waits for ({@code promise} is void), on a stream that is open, go
   * straight to the frame writer with that promise: no promise of their own and none of the
   * listeners Netty's encoder adds to one (a failure to encode is handled here, as below). A
   * server's response headers and trailers are written so. Anything else goes to Netty's encoder,
   * as before: a stream not open here, informational or padded headers, headers after headers
   * without END_STREAM, and END_STREAM while DATA of the stream waits in the flow controller (the
   * trailers must follow it) or after a GOAWAY was sent (see below).
   *
   * <p>END_STREAM closes the stream's sending side at once, as Netty's encoder does; a stream whose
   * receiving side is closed too is then closed at once, where Netty's encoder would close it when
   * the write completes. Its frame is in the channel by then, ahead of anything written later, so
   * the frames keep their order on the wire (closing may flush a WINDOW_UPDATE for request bytes
   * the handler never read, which Netty's way would send at the following flush). But while Netty's
   * graceful close waits for the last stream (it has sent a GOAWAY), closing that stream closes the
   * connection, which would drop a frame not yet flushed: after any GOAWAY, trailers take Netty's
   * way. A frame that cannot be encoded (a header set larger than the peer accepts) is handed to
   * the connection's error handling as Netty's encoder hands it (a stream error resets the stream).
   * A write that the channel fails afterwards is not reported here (the void promise takes no
   * listener): the caller relies on the channel closing when a write fails, as it does for I/O and
   * TLS errors, ending every stream with it.
   */
  @Override
  public ChannelFuture writeHeaders(
      ChannelHandlerContext ctx,
      int streamId,
      Http2Headers headers,
      int padding,
      boolean endStream,
      ChannelPromise promise) {
    if (promise.isVoid() && padding == 0) {
      Http2Stream stream = connection().stream(streamId);
      if (stream != null && writeHeadersNow(ctx, stream, headers, endStream, promise)) {
        return promise;
      }
    }
    return super.writeHeaders(ctx, streamId, headers, padding, endStream, promise);
  }

  private boolean writeHeadersNow(
      ChannelHandlerContext ctx,
      Http2Stream stream,
      Http2Headers headers,
      boolean endStream,
      ChannelPromise promise) {
    if (lifecycleManager == null || !(frameWriter() instanceof HeadroomFrameWriter writer)) {
      return false;
    }
    switch (stream.state()) {
      case OPEN, HALF_CLOSED_REMOTE -> {}
      default -> {
        return false;
      }
    }
    if (stream.isTrailersSent()
        || (!endStream && stream.isHeadersSent())
        || informational(headers)
        || (endStream
            && (flowController().hasFlowControlled(stream) || connection().goAwaySent()))) {
      return false;
    }
    ByteBuf frames;
    try {
      frames = writer.headersFrames(ctx, stream.id(), headers, endStream);
    } catch (Throwable t) {
      lifecycleManager.onError(ctx, true, t);
      if (endStream) {
        lifecycleManager.closeStreamLocal(stream, ctx.newFailedFuture(t));
      }
      return true;
    }
    stream.headersSent(false);
    ctx.write(frames, promise);
    if (endStream) {
      lifecycleManager.closeStreamLocal(stream, ctx.newSucceededFuture());
    }
    return true;
  }

  private boolean informational(Http2Headers headers) {
    CharSequence status = headers.status();
    return connection().isServer()
        && status != null
        && HttpStatusClass.valueOf(status) == HttpStatusClass.INFORMATIONAL;
  }

  /**
   * Whether a frame of {@code size} bytes may go out now, and if so takes them from the windows.
   */
  private boolean writeNow(ChannelHandlerContext ctx, Http2Stream stream, int size) {
    if (unfinished > 0 || size == 0 || lifecycleManager == null) {
      return false;
    }
    switch (stream.state()) {
      case OPEN, HALF_CLOSED_REMOTE -> {}
      default -> {
        return false; // Netty's encoder fails the write
      }
    }
    Http2RemoteFlowController flow = flowController();
    Http2Stream connectionStream = connection().connectionStream();
    if (size > frameWriter().configuration().frameSizePolicy().maxFrameSize()
        || flow.hasFlowControlled(stream)
        || flow.windowSize(stream) < size
        || flow.windowSize(connectionStream) < size
        || ctx.channel().bytesBeforeUnwritable() < size) {
      return false;
    }
    try {
      flow.incrementWindowSize(stream, -size);
      flow.incrementWindowSize(connectionStream, -size);
    } catch (Http2Exception e) {
      throw new IllegalStateException("A window cannot overflow by shrinking", e);
    }
    return true;
  }
}
