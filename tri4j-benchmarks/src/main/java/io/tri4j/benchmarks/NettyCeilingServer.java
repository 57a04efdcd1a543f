package io.tri4j.benchmarks;

import io.grpc.benchmarks.Utils;
import io.grpc.benchmarks.proto.Messages.SimpleRequest;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling: {@code grpc.testing.BenchmarkService}'s UnaryCall and StreamingCall answered by the
 * smallest correct thing over Netty's HTTP/2 codec, on the event loop. It counts gRPC message
 * boundaries without assembling messages, reads only the {@code response_size} field at the start
 * of each request, and answers with a response built once per size and never copied again. No
 * deadlines, metadata, compression, limits or error handling: what any gRPC server on this Netty
 * can at best reach.
 */
final class NettyCeilingServer {
  private static final int STREAM_WINDOW = 8 * 1024 * 1024;
  private static final int CONNECTION_WINDOW = 64 * 1024 * 1024;

  /** Framed responses (5-byte prefix + SimpleResponse) by response size, shared read-only. */
  private static final Map<Integer, ByteBuf> RESPONSES = new ConcurrentHashMap<>();

  private NettyCeilingServer() {}

  static void serve(int port) throws InterruptedException {
    start(port);
    System.out.println("Netty HTTP/2 ceiling serving on " + port);
    Thread.currentThread().join();
  }

  /** Starts serving on 127.0.0.1:{@code port} (0: any free port); closing stops it. */
  static Running start(int port) throws InterruptedException {
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    Channel channel =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(
                            Http2FrameCodecBuilder.forServer()
                                .initialSettings(
                                    Http2Settings.defaultSettings()
                                        .initialWindowSize(STREAM_WINDOW))
                                .build(),
                            new Handler());
                  }
                })
            .bind("127.0.0.1", port)
            .sync()
            .channel();
    return new Running(((InetSocketAddress) channel.localAddress()).getPort(), boss, workers);
  }

  /** A started ceiling server. */
  record Running(int port, EventLoopGroup boss, EventLoopGroup workers) implements AutoCloseable {
    @Override
    public void close() {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private static ByteBuf response(int size) {
    return RESPONSES.computeIfAbsent(
        size,
        s -> {
          byte[] message =
              Utils.makeResponse(SimpleRequest.newBuilder().setResponseSize(s).build())
                  .toByteArray();
          ByteBuf framed = Unpooled.directBuffer(5 + message.length);
          framed.writeByte(0).writeInt(message.length).writeBytes(message);
          return Unpooled.unreleasableBuffer(framed.asReadOnly());
        });
  }

  /** Per stream: where we are in the gRPC framing, and the current request's first bytes. */
  static final class Call {
    final boolean streaming;
    boolean headersSent;
    int prefixLeft = 5;
    int length;
    long bodyLeft;
    final byte[] head = new byte[16];
    int headLength;

    Call(boolean streaming) {
      this.streaming = streaming;
    }

    /** Consumes {@code data}; returns how many requests completed in it. */
    int consume(ByteBuf data) {
      int completed = 0;
      while (data.isReadable()) {
        if (prefixLeft > 0) {
          byte b = data.readByte();
          if (prefixLeft <= 4) {
            length = (length << 8) | (b & 0xff);
          }
          if (--prefixLeft == 0) {
            bodyLeft = length;
            headLength = 0;
            if (bodyLeft == 0) {
              completed++;
              prefixLeft = 5;
              length = 0;
            }
          }
          continue;
        }
        int n = (int) Math.min(bodyLeft, data.readableBytes());
        int copy = Math.min(n, head.length - headLength);
        data.getBytes(data.readerIndex(), head, headLength, copy);
        headLength += copy;
        data.skipBytes(n);
        bodyLeft -= n;
        if (bodyLeft == 0) {
          completed++;
          prefixLeft = 5;
          length = 0;
        }
      }
      return completed;
    }

    /** The response_size (field 2) from the request's first bytes; tags 1 and 2 come first. */
    int responseSize() {
      int i = 0;
      while (i < headLength) {
        int tag = head[i++] & 0xff;
        long value = 0;
        for (int shift = 0; i < headLength; shift += 7) {
          byte b = head[i++];
          value |= (long) (b & 0x7f) << shift;
          if (b >= 0) {
            break;
          }
        }
        if (tag == 0x10) {
          return (int) value;
        }
        if (tag != 0x08) {
          return 0;
        }
      }
      return 0;
    }
  }

  /** One per connection. */
  private static final class Handler extends ChannelInboundHandlerAdapter {
    private final Map<Http2FrameStream, Call> calls = new HashMap<>();

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.writeAndFlush(
          new DefaultHttp2WindowUpdateFrame(
              CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame headers) {
          Call call = calls.get(headers.stream());
          if (call == null) {
            CharSequence path = headers.headers().path();
            calls.put(
                headers.stream(),
                new Call(path != null && path.toString().endsWith("/StreamingCall")));
          }
          if (headers.isEndStream()) {
            finish(ctx, headers.stream());
          }
        } else if (msg instanceof Http2DataFrame data) {
          Http2FrameStream stream = data.stream();
          int bytes = data.initialFlowControlledBytes();
          Call call = calls.get(stream);
          if (call != null) {
            int completed = call.consume(data.content());
            if (completed > 0 && call.streaming) {
              sendHeadersOnce(ctx, stream, call);
              ByteBuf response = response(call.responseSize());
              for (int i = 0; i < completed; i++) {
                ctx.write(new DefaultHttp2DataFrame(response.duplicate(), false).stream(stream));
              }
            }
          }
          if (bytes > 0) {
            ctx.write(new DefaultHttp2WindowUpdateFrame(bytes).stream(stream));
          }
          if (data.isEndStream()) {
            finish(ctx, stream);
          }
        } else if (msg instanceof Http2ResetFrame reset) {
          calls.remove(reset.stream());
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void sendHeadersOnce(ChannelHandlerContext ctx, Http2FrameStream stream, Call call) {
      if (!call.headersSent) {
        call.headersSent = true;
        Http2Headers headers =
            new DefaultHttp2Headers().status("200").add("content-type", "application/grpc");
        ctx.write(new DefaultHttp2HeadersFrame(headers).stream(stream));
      }
    }

    private void finish(ChannelHandlerContext ctx, Http2FrameStream stream) {
      Call call = calls.remove(stream);
      if (call == null) {
        return;
      }
      sendHeadersOnce(ctx, stream, call);
      if (!call.streaming) {
        ctx.write(
            new DefaultHttp2DataFrame(response(call.responseSize()).duplicate(), false)
                .stream(stream));
      }
      ctx.write(
          new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("grpc-status", "0"), true)
              .stream(stream));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
      ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
