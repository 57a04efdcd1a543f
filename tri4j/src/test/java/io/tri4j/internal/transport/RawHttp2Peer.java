package io.tri4j.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A bare HTTP/2 peer for wire tests: it records every HEADERS and DATA frame it receives and, as a
 * server, answers each request with a scripted response. It knows nothing of gRPC, so it can send
 * what a real gRPC peer never would.
 */
public final class RawHttp2Peer implements AutoCloseable {

  /** A received HEADERS or DATA frame. */
  public record Frame(int streamId, Http2Headers headers, byte[] data, boolean endStream) {
    public boolean isHeaders() {
      return headers != null;
    }
  }

  /** Writes the frames of a scripted response. */
  public static final class Responder {
    private final ChannelHandlerContext ctx;
    private final Http2ConnectionHandler handler;
    private final int streamId;

    Responder(ChannelHandlerContext ctx, Http2ConnectionHandler handler, int streamId) {
      this.ctx = ctx;
      this.handler = handler;
      this.streamId = streamId;
    }

    public Responder headers(Http2Headers headers, boolean endStream) {
      handler.encoder().writeHeaders(ctx, streamId, headers, 0, endStream, ctx.newPromise());
      ctx.channel().flush();
      return this;
    }

    /** Resets the stream with an HTTP/2 error code, such as {@code REFUSED_STREAM}. */
    public Responder reset(io.netty.handler.codec.http2.Http2Error error) {
      handler.encoder().writeRstStream(ctx, streamId, error.code(), ctx.newPromise());
      ctx.channel().flush();
      return this;
    }

    /**
     * Sends GOAWAY naming the stream before this one as the last it processed: this stream is
     * refused, and the connection takes no new ones.
     */
    public Responder goAwayBeforeThisStream() {
      handler.goAway(
          ctx,
          Math.max(0, streamId - 2),
          io.netty.handler.codec.http2.Http2Error.NO_ERROR.code(),
          Unpooled.EMPTY_BUFFER,
          ctx.newPromise());
      ctx.channel().flush();
      return this;
    }

    /**
     * Sends GOAWAY naming this stream as the last it takes: this stream goes on, and the connection
     * takes no new ones.
     */
    public Responder goAwayAfterThisStream() {
      handler.goAway(
          ctx,
          streamId,
          io.netty.handler.codec.http2.Http2Error.NO_ERROR.code(),
          Unpooled.EMPTY_BUFFER,
          ctx.newPromise());
      ctx.channel().flush();
      return this;
    }

    /**
     * Writes DATA on stream {@code idleStreamId}, which the client never opened, past the encoder's
     * checks: a connection error for the client (RFC 9113 5.1).
     */
    public Responder dataOnIdleStream(int idleStreamId) {
      handler
          .encoder()
          .frameWriter()
          .writeData(
              ctx, idleStreamId, Unpooled.wrappedBuffer(new byte[1]), 0, false, ctx.newPromise());
      ctx.channel().flush();
      return this;
    }

    public Responder data(byte[] data, boolean endStream) {
      handler
          .encoder()
          .writeData(ctx, streamId, Unpooled.wrappedBuffer(data), 0, endStream, ctx.newPromise());
      ctx.channel().flush(); // through the HTTP/2 handler, which writes flow-controlled DATA
      return this;
    }
  }

  final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  final List<Frame> all = new CopyOnWriteArrayList<>();
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private Channel channel;
  private Http2ConnectionHandler handler;

  /** A server that calls {@code script} with each request's headers once they arrive. */
  public static RawHttp2Peer server(BiConsumer<Http2Headers, Responder> script) {
    return server(script, false);
  }

  /** A proxy in front of a server that is down: 502 with an HTML page, as proxies answer. */
  public static RawHttp2Peer proxyErrorPage() {
    return server(
        (headers, out) ->
            out.headers(
                    new DefaultHttp2Headers().status("502").add("content-type", "text/html"), false)
                .data("<html>Bad Gateway</html>".getBytes(StandardCharsets.UTF_8), true));
  }

  /**
   * A server that calls {@code script} with each request's headers once the whole request has
   * arrived (its END_STREAM), so that every request frame is recorded before the answer.
   */
  public static RawHttp2Peer serverAnsweringAtEnd(BiConsumer<Http2Headers, Responder> script) {
    return server(script, true);
  }

  /**
   * The far end resetting the connection is what many tests provoke (a client that gives up, a
   * connection cut): it closes this one quietly, rather than as Netty's WARN of an exception that
   * reached the end of the pipeline. Anything else goes on to that WARN.
   */
  private static final ChannelHandler QUIET_RESETS =
      new ChannelInboundHandlerAdapter() {
        @Override
        public boolean isSharable() {
          return true;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
          if (cause instanceof IOException) {
            ctx.close();
          } else {
            ctx.fireExceptionCaught(cause);
          }
        }
      };

  private static RawHttp2Peer server(BiConsumer<Http2Headers, Responder> script, boolean atEnd) {
    RawHttp2Peer peer = new RawHttp2Peer();
    peer.channel =
        new ServerBootstrap()
            .group(peer.group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(peer.newHandler(true, script, atEnd), QUIET_RESETS);
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .syncUninterruptibly()
            .channel();
    return peer;
  }

  /** A client connected to {@code port}. */
  public static RawHttp2Peer client(int port) {
    RawHttp2Peer peer = new RawHttp2Peer();
    peer.channel =
        new Bootstrap()
            .group(peer.group)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(peer.newHandler(false, null, false), QUIET_RESETS);
                  }
                })
            .connect(new InetSocketAddress("127.0.0.1", port))
            .syncUninterruptibly()
            .channel();
    return peer;
  }

  private Http2ConnectionHandler newHandler(
      boolean server, BiConsumer<Http2Headers, Responder> script, boolean atEnd) {
    Http2ConnectionHandler[] self = new Http2ConnectionHandler[1];
    // This connection's streams: their request headers, until answered.
    java.util.Map<Integer, Http2Headers> unanswered = new java.util.HashMap<>();
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    self[0] =
        new Http2ConnectionHandlerBuilder()
            .server(server)
            .frameListener(
                new Http2FrameAdapter() {
                  @Override
                  public void onHeadersRead(
                      ChannelHandlerContext ctx,
                      int streamId,
                      Http2Headers headers,
                      int padding,
                      boolean endStream) {
                    record(new Frame(streamId, headers, null, endStream));
                    if (script != null && server && seen.add(streamId)) {
                      unanswered.put(streamId, headers);
                      if (!atEnd || endStream) {
                        answer(ctx, streamId);
                      }
                    }
                  }

                  private void answer(ChannelHandlerContext ctx, int streamId) {
                    Http2Headers request = unanswered.remove(streamId);
                    if (request != null) {
                      script.accept(request, new Responder(ctx, self[0], streamId));
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
                      boolean endStream) {
                    onHeadersRead(ctx, streamId, headers, padding, endStream);
                  }

                  @Override
                  public int onDataRead(
                      ChannelHandlerContext ctx,
                      int streamId,
                      ByteBuf data,
                      int padding,
                      boolean endStream) {
                    record(new Frame(streamId, null, ByteBufUtil.getBytes(data), endStream));
                    if (script != null && endStream) {
                      answer(ctx, streamId);
                    }
                    return data.readableBytes() + padding;
                  }
                })
            .gracefulShutdownTimeoutMillis(0)
            .build();
    handler = self[0];
    return self[0];
  }

  private void record(Frame frame) {
    all.add(frame);
    frames.add(frame);
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Sends a request's frames on a new stream (client only); returns its stream id. */
  public int request(Http2Headers headers, byte[] body, boolean endStream) {
    int[] id = new int[1];
    channel
        .eventLoop()
        .submit(
            () -> {
              ChannelHandlerContext ctx = channel.pipeline().firstContext();
              id[0] = handler.connection().local().incrementAndGetNextStreamId();
              handler
                  .encoder()
                  .writeHeaders(
                      ctx, id[0], headers, 0, body == null && endStream, ctx.newPromise());
              if (body != null) {
                handler
                    .encoder()
                    .writeData(
                        ctx, id[0], Unpooled.wrappedBuffer(body), 0, endStream, ctx.newPromise());
              }
              channel.flush(); // through the HTTP/2 handler, which writes flow-controlled DATA
            })
        .syncUninterruptibly();
    return id[0];
  }

  /** Sends one more DATA frame on a stream this client opened. */
  public void data(int streamId, byte[] bytes, boolean endStream) {
    channel
        .eventLoop()
        .submit(
            () -> {
              ChannelHandlerContext ctx = channel.pipeline().firstContext();
              handler
                  .encoder()
                  .writeData(
                      ctx, streamId, Unpooled.wrappedBuffer(bytes), 0, endStream, ctx.newPromise());
              channel.flush(); // through the HTTP/2 handler, which writes flow-controlled DATA
            })
        .syncUninterruptibly();
  }

  /** The next received frame, waiting up to five seconds. */
  public Frame next() throws InterruptedException {
    Frame frame = frames.poll(5, TimeUnit.SECONDS);
    if (frame == null) {
      throw new AssertionError("no frame within 5 s; got so far: " + all);
    }
    return frame;
  }

  /** The frames received next up to one that ends its stream: a whole response, as it came. */
  public java.util.List<Frame> nextResponse() throws InterruptedException {
    java.util.List<Frame> response = new java.util.ArrayList<>();
    Frame frame;
    do {
      frame = next();
      response.add(frame);
    } while (!frame.endStream());
    return response;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
