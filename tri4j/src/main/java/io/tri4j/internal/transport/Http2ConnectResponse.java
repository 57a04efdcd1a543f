package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.ConnectEndStream;
import io.tri4j.internal.codec.ConnectError;
import io.tri4j.internal.codec.MessageFramer;

/**
 * The response of one Connect call over HTTP/2, on the event loop. A unary response is held until
 * the call ends, since its status decides its HTTP status and its trailers go out as {@code
 * trailer-} headers; a stream's response is gRPC's frames after its headers, ended by the end
 * message instead of trailers.
 */
final class Http2ConnectResponse {
  private final Connect type;

  // A unary response, held until the call ends.
  private Metadata headers;
  private Compression compression;
  private ByteBuf message; // framed, as the stream hands it over
  private int size;

  Http2ConnectResponse(Connect type) {
    this.type = type;
  }

  /** Sends a stream's headers now; holds a unary call's. */
  void writeHeaders(
      NettyServerHandler handler,
      NettyServerStream stream,
      Metadata metadata,
      Compression compression) {
    if (!type.streaming) {
      this.headers = metadata;
      this.compression = compression;
      return;
    }
    stream.headersSent = true;
    Http2Headers out = ok(Connect.STREAM_ACCEPT_ENCODING);
    if (compression != null) {
      out.add(Connect.STREAM_CONTENT_ENCODING, AsciiString.of(compression.encoding()));
    }
    MetadataCodec.addTo(out, metadata);
    handler
        .encoder()
        .writeHeaders(handler.ctx, stream.http2Stream.id(), out, 0, false, newPromise(handler));
  }

  /**
   * Holds a unary call's message until the call ends; returns false for a stream, whose messages go
   * out as gRPC's.
   */
  boolean holdMessage(NettyServerStream stream, ByteBuf framed, int size) {
    if (type.streaming) {
      return false;
    }
    release(stream); // a unary call sends one message; the call layer fails it if it tries more
    this.message = framed;
    this.size = size;
    return true;
  }

  /** Ends the response with {@code status} and {@code trailers}. */
  void close(
      NettyServerHandler handler, NettyServerStream stream, Status status, Metadata trailers) {
    int id = stream.http2Stream.id();
    if (type.streaming) {
      if (!stream.headersSent) {
        writeHeaders(handler, stream, new Metadata(), null);
      }
      ByteBuf end = Unpooled.wrappedBuffer(ConnectEndStream.frame(status, trailers));
      handler.encoder().writeData(handler.ctx, id, end, 0, true, newPromise(handler));
      return;
    }
    stream.headersSent = true;
    Http2Headers out;
    ByteBuf body;
    int sent = 0;
    if (status.isOk()) {
      out = ok(Connect.ACCEPT_ENCODING);
      // Compressed or not by the request's accept-encoding: caches of GET responses must know.
      out.add(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
      if (message != null) {
        if ((message.getByte(message.readerIndex()) & MessageFramer.COMPRESSED_FLAG) != 0) {
          out.add(Connect.CONTENT_ENCODING, AsciiString.of(compression.encoding()));
        }
        body = message.skipBytes(MessageFramer.HEADER_LENGTH);
        message = null;
        sent = size;
      } else {
        body = Unpooled.EMPTY_BUFFER;
      }
    } else {
      release(stream);
      out =
          new DefaultHttp2Headers(false)
              .status(AsciiString.of(Integer.toString(ConnectError.httpStatus(status.code()))))
              .add(GrpcHeaders.CONTENT_TYPE, Connect.ERROR_CONTENT_TYPE)
              .add(Connect.ACCEPT_ENCODING, GrpcHeaders.ACCEPT_ENCODINGS);
      body = Unpooled.wrappedBuffer(ConnectError.json(status, trailers));
    }
    if (headers != null) {
      MetadataCodec.addTo(out, headers);
    }
    MetadataCodec.addTo(out, Connect.unaryTrailers(trailers, status));
    handler.encoder().writeHeaders(handler.ctx, id, out, 0, false, newPromise(handler));
    handler.writeData(stream, id, body, true, sent);
  }

  /**
   * Lets go of a held message, which {@code stream} then no longer counts as held: the call ended
   * without sending it.
   */
  void release(NettyServerStream stream) {
    if (message != null) {
      message.release();
      message = null;
      stream.onLastSent(size);
    }
  }

  private Http2Headers ok(AsciiString acceptEncodingHeader) {
    return new DefaultHttp2Headers(false)
        .status(GrpcHeaders.STATUS_200)
        .add(GrpcHeaders.CONTENT_TYPE, type.contentType)
        .add(acceptEncodingHeader, GrpcHeaders.ACCEPT_ENCODINGS);
  }

  private static io.netty.channel.ChannelPromise newPromise(NettyServerHandler handler) {
    return handler.ctx.newPromise();
  }
}
