package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * How a {@link NettyClientStream} reads the response of a gRPC-Web or Connect call: what the
 * protocol puts in headers and body instead of gRPC's HTTP/2 trailers. Called on the event loop,
 * never after the stream closed.
 */
abstract class WebResponse {
  final NettyClientStream stream;

  WebResponse(NettyClientStream stream) {
    this.stream = stream;
  }

  /** A HEADERS frame of the response. */
  abstract void onHeaders(Http2Headers headers, boolean endOfStream);

  /** A DATA frame of the response; {@code data} is released by the caller afterwards. */
  abstract void onData(ByteBuf data, boolean endOfStream);

  /** The deframer used {@code count} bytes given to it: their credit goes back, unless given. */
  void deframed(int count) {
    stream.consumed(count);
  }
}
