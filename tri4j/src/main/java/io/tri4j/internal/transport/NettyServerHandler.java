package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AsciiString;
import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.call.Deadline;
import io.tri4j.internal.call.IncomingCall;
import io.tri4j.internal.call.ServerCallDispatcher;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.GrpcTimeout;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The server end of one HTTP/2 connection: turns each new request stream into a call and carries
 * its responses. All methods run on the channel's event loop.
 */
final class NettyServerHandler extends Http2ConnectionHandler {
  /** How close to its deadline a call reset by the client counts as having reached it. */
  private static final long DEADLINE_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** Payload of the PING that ends the first phase of a graceful shutdown. */
  private static final long GRACEFUL_SHUTDOWN_PING = 0x74726934L; // "tri4"

  private final Http2Connection.PropertyKey streamKey;
  private boolean closingGracefully;
  private io.netty.util.concurrent.ScheduledFuture<?> gracefulPingTimeout;
  private final ServerCallDispatcher dispatcher;
  private final int maxInboundMessageSize;
  private final int connectionWindow;
  private ChannelHandlerContext ctx;
  private WriteQueue writeQueue;

  NettyServerHandler(
      Http2ConnectionDecoder decoder,
      Http2ConnectionEncoder encoder,
      Http2Settings settings,
      ServerCallDispatcher dispatcher,
      int maxInboundMessageSize,
      int connectionWindow) {
    super(decoder, encoder, settings);
    this.dispatcher = dispatcher;
    this.maxInboundMessageSize = maxInboundMessageSize;
    this.connectionWindow = connectionWindow;
    this.streamKey = connection().newKey();
    gracefulShutdownTimeoutMillis(
        -1); // A graceful close waits for every call; shutdownNow cuts it.
    decoder.frameListener(new FrameListener());
    connection()
        .addListener(
            new Http2ConnectionAdapter() {
              @Override
              public void onStreamClosed(Http2Stream stream) {
                NettyServerStream s = stream.getProperty(streamKey);
                if (s != null) {
                  s.transportClosed(
                      Status.CANCELLED.withDescription("The stream closed before the call ended"));
                }
              }
            });
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    this.writeQueue = new WriteQueue(ctx.channel());
    super.handlerAdded(ctx);
    if (ctx.channel().isActive()) {
      // Added once the first bytes showed HTTP/2: the channel is already active.
      growConnectionWindow(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    super.channelActive(ctx);
    growConnectionWindow(ctx);
  }

  private void growConnectionWindow(ChannelHandlerContext ctx) throws Http2Exception {
    Http2Stream connectionStream = connection().connectionStream();
    int increment =
        connectionWindow - connection().local().flowController().windowSize(connectionStream);
    if (increment > 0) {
      connection().local().flowController().incrementWindowSize(connectionStream, increment);
      ctx.flush();
    }
  }

  /**
   * Closes the connection once its calls are done, without refusing a call the client may have sent
   * already: a GOAWAY that still accepts every stream, then a PING; once the PING comes back, every
   * stream the client opened before it saw the GOAWAY has arrived, and the connection closes when
   * they are done.
   */
  void closeGracefully() {
    if (closingGracefully || !ctx.channel().isActive()) {
      return;
    }
    closingGracefully = true;
    goAway(
        ctx,
        Integer.MAX_VALUE,
        Http2Error.NO_ERROR.code(),
        Unpooled.EMPTY_BUFFER,
        ctx.newPromise());
    encoder().writePing(ctx, false, GRACEFUL_SHUTDOWN_PING, ctx.newPromise());
    ctx.flush();
    // A client that never answers the PING does not hold the shutdown up.
    gracefulPingTimeout = ctx.executor().schedule(this::finishGracefulClose, 10, TimeUnit.SECONDS);
  }

  private void finishGracefulClose() {
    if (gracefulPingTimeout != null) {
      gracefulPingTimeout.cancel(false);
    }
    ctx.channel().close(); // Netty's close: waits for the active streams, then closes
  }

  /** Closes the connection now; calls still running see it as a cancellation. */
  void closeNow() {
    ctx.close(); // from this handler's context: skips the graceful close above
  }

  // ---- commands ----

  void writeHeaders(NettyServerStream stream, Metadata metadata, Compression compression) {
    if (stream.isCompleted() || stream.headersSent) {
      return;
    }
    stream.headersSent = true;
    Http2Headers headers = responseHeaders(stream.json);
    if (compression != null) {
      headers.add(GrpcHeaders.GRPC_ENCODING, AsciiString.of(compression.encoding()));
    }
    MetadataCodec.addTo(headers, metadata);
    encoder().writeHeaders(ctx, stream.http2Stream.id(), headers, 0, false, ctx.newPromise());
  }

  void writeMessage(NettyServerStream stream, ByteBuf framed, int size) {
    if (stream.isCompleted()) {
      framed.release();
      stream.onSent(size);
      return;
    }
    if (!stream.headersSent) {
      writeHeaders(stream, new Metadata(), null);
    }
    ChannelPromise promise = ctx.newPromise();
    encoder().writeData(ctx, stream.http2Stream.id(), framed, 0, false, promise);
    promise.addListener(f -> stream.onSent(size));
  }

  void closeStream(NettyServerStream stream, Status status, Metadata metadata) {
    if (!stream.complete()) {
      return;
    }
    Http2Headers trailers =
        stream.headersSent
            ? GrpcHeaders.addStatus(new DefaultHttp2Headers(false), status)
            : GrpcHeaders.trailersOnly(status);
    MetadataCodec.addTo(trailers, metadata);
    encoder().writeHeaders(ctx, stream.http2Stream.id(), trailers, 0, true, ctx.newPromise());
  }

  /**
   * The deadline passed: tell the client, stop reading, and fail the handler's reads and writes.
   */
  private void deadlineExceeded(NettyServerStream stream) {
    if (stream.isCompleted()) {
      return;
    }
    Status status = Status.DEADLINE_EXCEEDED.withDescription("Deadline exceeded on the server");
    closeStream(stream, status, new Metadata());
    if (stream.http2Stream.state().remoteSideOpen()) {
      encoder()
          .writeRstStream(ctx, stream.http2Stream.id(), Http2Error.CANCEL.code(), ctx.newPromise());
    }
    ctx.channel().flush();
    if (stream.listener != null) {
      stream.listener.onCancel(status);
    }
  }

  void consumeBytes(Http2Stream stream, int count) {
    try {
      connection().local().flowController().consumeBytes(stream, count);
    } catch (Http2Exception e) {
      onError(ctx, false, e);
    }
  }

  private static Http2Headers responseHeaders(boolean json) {
    return new DefaultHttp2Headers(false)
        .status(GrpcHeaders.STATUS_200)
        .add(
            GrpcHeaders.CONTENT_TYPE,
            json ? GrpcHeaders.APPLICATION_GRPC_JSON : GrpcHeaders.APPLICATION_GRPC)
        .add(GrpcHeaders.GRPC_ACCEPT_ENCODING, GrpcHeaders.ACCEPT_ENCODINGS);
  }

  /** A response for a request that is not gRPC at all: an HTTP status, a text body, a status. */
  private void respondHttpError(int streamId, int httpStatus, Status status) {
    Http2Headers headers =
        new DefaultHttp2Headers(false)
            .status(AsciiString.of(Integer.toString(httpStatus)))
            .add(GrpcHeaders.CONTENT_TYPE, GrpcHeaders.TEXT_PLAIN);
    GrpcHeaders.addStatus(headers, status);
    encoder().writeHeaders(ctx, streamId, headers, 0, false, ctx.newPromise());
    ByteBuf body = Unpooled.copiedBuffer(status.description() + "\n", StandardCharsets.UTF_8);
    encoder().writeData(ctx, streamId, body, 0, true, ctx.newPromise());
  }

  private static String stringOrNull(CharSequence value) {
    return value == null || value.length() == 0 ? null : value.toString();
  }

  private final class FrameListener extends Http2FrameAdapter {
    private NettyServerStream stream(int streamId) {
      Http2Stream s = connection().stream(streamId);
      return s == null ? null : s.getProperty(streamKey);
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int padding,
        boolean endOfStream) {
      NettyServerStream existing = stream(streamId);
      if (existing != null) {
        // Trailers from the client: they end its side of the stream.
        existing.onData(Unpooled.EMPTY_BUFFER, endOfStream);
        return;
      }
      Http2Stream http2Stream = connection().stream(streamId);
      if (http2Stream == null) {
        return;
      }
      if (!GrpcHeaders.POST.contentEquals(headers.method())) {
        respondHttpError(
            streamId,
            405,
            Status.INTERNAL.withDescription(
                "Method " + headers.method() + " is not allowed: gRPC requests use POST"));
        return;
      }
      CharSequence contentType = headers.get(GrpcHeaders.CONTENT_TYPE);
      if (!GrpcHeaders.isAcceptedRequestContentType(contentType)) {
        respondHttpError(
            streamId,
            415,
            Status.INTERNAL.withDescription(
                "Content-Type '"
                    + contentType
                    + "' is not supported: use application/grpc, application/grpc+proto or"
                    + " application/grpc+json"));
        return;
      }
      Deadline deadline = null;
      CharSequence timeout = headers.get(GrpcHeaders.GRPC_TIMEOUT);
      if (timeout != null) {
        try {
          deadline = Deadline.after(GrpcTimeout.decode(timeout));
        } catch (IllegalArgumentException e) {
          encoder()
              .writeHeaders(
                  ctx,
                  streamId,
                  GrpcHeaders.trailersOnly(Status.INTERNAL.withDescription(e.getMessage())),
                  0,
                  true,
                  ctx.newPromise());
          return;
        }
      }
      Compression requestCompression;
      CharSequence encoding = headers.get(GrpcHeaders.GRPC_ENCODING);
      try {
        requestCompression = Compression.forEncoding(encoding == null ? null : encoding.toString());
      } catch (IllegalArgumentException e) {
        Http2Headers reply =
            GrpcHeaders.trailersOnly(Status.UNIMPLEMENTED.withDescription(e.getMessage()))
                .add(GrpcHeaders.GRPC_ACCEPT_ENCODING, GrpcHeaders.ACCEPT_ENCODINGS);
        encoder().writeHeaders(ctx, streamId, reply, 0, true, ctx.newPromise());
        return;
      }
      CharSequence path = headers.path();
      CharSequence authority = headers.authority();
      IncomingCall call =
          new IncomingCall(
              path == null ? "" : path.toString(),
              MetadataCodec.fromHeaders(headers),
              deadline,
              stringOrNull(headers.get(GrpcHeaders.TRI_SERVICE_VERSION)),
              stringOrNull(headers.get(GrpcHeaders.TRI_SERVICE_GROUP)),
              authority == null ? null : authority.toString(),
              ctx.channel().remoteAddress(),
              stringOrNull(headers.get(GrpcHeaders.GRPC_ACCEPT_ENCODING)),
              GrpcHeaders.isJson(contentType),
              ServerAlpnHandler.peerOf(ctx.channel()));
      NettyServerStream stream =
          new NettyServerStream(
              NettyServerHandler.this, writeQueue, http2Stream, maxInboundMessageSize);
      stream.deadline = deadline;
      stream.json = call.json();
      stream.setDecompression(requestCompression);
      http2Stream.setProperty(streamKey, stream);
      stream.listener = dispatcher.startCall(call, stream);
      if (deadline != null && !stream.isCompleted()) {
        stream.deadlineTimer =
            ctx.executor()
                .schedule(
                    () -> deadlineExceeded(stream),
                    deadline.remainingNanos(),
                    TimeUnit.NANOSECONDS);
      }
      if (endOfStream) {
        stream.onData(Unpooled.EMPTY_BUFFER, true);
      }
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int streamDependency,
        short weight,
        boolean exclusive,
        int padding,
        boolean endOfStream) {
      onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      NettyServerStream s = stream(streamId);
      if (s == null) {
        return data.readableBytes() + padding;
      }
      s.onData(data, endOfStream);
      return padding;
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
      if (data == GRACEFUL_SHUTDOWN_PING && closingGracefully) {
        finishGracefulClose();
      }
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      NettyServerStream s = stream(streamId);
      if (s != null) {
        Status status = Http2Errors.toStatus(errorCode, "The client reset the stream");
        if (s.deadline != null
            && s.deadline.remainingNanos() < DEADLINE_SLACK_NANOS
            && status.code() == Status.Code.CANCELLED) {
          // A client whose deadline passed resets the stream; its timer may fire a moment
          // before ours, but the call ended because of the deadline.
          status =
              Status.DEADLINE_EXCEEDED.withDescription("Deadline exceeded (reset by the client)");
        }
        s.transportClosed(status);
      }
    }
  }
}
