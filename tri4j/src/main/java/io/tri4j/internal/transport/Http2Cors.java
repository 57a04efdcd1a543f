package io.tri4j.internal.transport;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DecoratingHttp2ConnectionEncoder;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link Cors} on one HTTP/2 connection: answers preflights before the connection's handler sees
 * them, and adds the CORS headers to the first HEADERS of each response to an allowed origin. Put
 * around a connection's encoder and frame listener only when the server has allowed origins.
 */
final class Http2Cors {
  private final Cors cors;
  private final Http2Connection connection;
  private final Http2Connection.PropertyKey origin;

  Http2Cors(Cors cors, Http2Connection connection) {
    this.cors = cors;
    this.connection = connection;
    this.origin = connection.newKey();
  }

  /** {@code encoder}, adding CORS headers to the responses to allowed origins. */
  Http2ConnectionEncoder encoder(Http2ConnectionEncoder encoder) {
    return new DecoratingHttp2ConnectionEncoder(encoder) {
      @Override
      public ChannelFuture writeHeaders(
          ChannelHandlerContext ctx,
          int streamId,
          Http2Headers headers,
          int padding,
          boolean endStream,
          ChannelPromise promise) {
        return super.writeHeaders(
            ctx, streamId, withCors(streamId, headers), padding, endStream, promise);
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
        return super.writeHeaders(
            ctx,
            streamId,
            withCors(streamId, headers),
            streamDependency,
            weight,
            exclusive,
            padding,
            endStream,
            promise);
      }
    };
  }

  /** Puts preflights from {@code decoder}'s frames aside, answering them with {@code encoder}. */
  void decorate(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder) {
    decoder.frameListener(new PreflightListener(decoder.frameListener(), encoder));
  }

  /** The response's first headers with CORS added if its request came from an allowed origin. */
  private Http2Headers withCors(int streamId, Http2Headers headers) {
    Http2Stream stream = connection.stream(streamId);
    CharSequence from = stream == null ? null : stream.removeProperty(origin);
    if (from == null) {
      return headers; // another origin, none, or the trailers
    }
    List<CharSequence> names = new ArrayList<>(headers.size());
    for (Map.Entry<CharSequence, CharSequence> header : headers) {
      names.add(header.getKey());
    }
    Http2Headers copy = new DefaultHttp2Headers(false);
    copy.add(headers); // may be a shared, read-only set
    cors.addResponseHeaders(from, names, copy::add);
    return copy;
  }

  /** Reads each request's origin; answers preflights itself. */
  private final class PreflightListener extends Http2FrameListenerDecorator {
    private final Http2ConnectionEncoder encoder;

    PreflightListener(Http2FrameListener listener, Http2ConnectionEncoder encoder) {
      super(listener);
      this.encoder = encoder;
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int padding,
        boolean endOfStream)
        throws Http2Exception {
      if (!preflight(ctx, streamId, headers)) {
        super.onHeadersRead(ctx, streamId, headers, padding, endOfStream);
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
        boolean endOfStream)
        throws Http2Exception {
      if (!preflight(ctx, streamId, headers)) {
        super.onHeadersRead(
            ctx, streamId, headers, streamDependency, weight, exclusive, padding, endOfStream);
      }
    }

    /** Answers a preflight and returns true, or notes an allowed origin and returns false. */
    private boolean preflight(ChannelHandlerContext ctx, int streamId, Http2Headers headers) {
      Http2Stream stream = connection.stream(streamId);
      if (stream == null) {
        return false;
      }
      CharSequence from = headers.get(Cors.ORIGIN);
      if (Cors.isPreflight(headers.method(), from, headers.get(Cors.REQUEST_METHOD))) {
        int status = cors.preflightStatus(from);
        Http2Headers answer =
            new DefaultHttp2Headers(false).status(AsciiString.of(Integer.toString(status)));
        if (status == 204) {
          cors.addPreflightHeaders(from, headers.get(Cors.REQUEST_HEADERS), answer::add);
        }
        encoder.writeHeaders(ctx, streamId, answer, 0, true, ctx.newPromise());
        return true;
      }
      if (cors.allows(from)) {
        stream.setProperty(origin, from.toString());
      }
      return false;
    }
  }
}
