package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;

/**
 * The answer to a request for a {@linkplain StaticResources static file}, written over HTTP/1.1 or
 * HTTP/2: 200 with the file (its headers only for {@code HEAD}), 304 when the browser's copy is
 * current, or 404.
 */
final class StaticResponse {
  private static final byte[] NOT_FOUND = "No such file\n".getBytes(StandardCharsets.US_ASCII);
  private static final AsciiString NO_CACHE = AsciiString.cached("no-cache");
  private static final AsciiString NOSNIFF = AsciiString.cached("nosniff");
  private static final AsciiString X_CONTENT_TYPE_OPTIONS =
      AsciiString.cached("x-content-type-options");

  private final int status;
  private final String contentType;
  private final String etag;
  private final byte[] content;
  private final boolean headersOnly;

  private StaticResponse(
      int status, String contentType, String etag, byte[] content, boolean headersOnly) {
    this.status = status;
    this.contentType = contentType;
    this.etag = etag;
    this.content = content;
    this.headersOnly = headersOnly;
  }

  static StaticResponse ok(StaticResources.StaticFile file, boolean head) {
    return new StaticResponse(200, file.contentType(), file.etag(), file.content(), head);
  }

  static StaticResponse notModified(StaticResources.StaticFile file) {
    return new StaticResponse(304, null, file.etag(), null, true);
  }

  static StaticResponse notFound(boolean head) {
    return new StaticResponse(404, GrpcHeaders.TEXT_PLAIN.toString(), null, NOT_FOUND, head);
  }

  int status() {
    return status;
  }

  /** The answer as one HTTP/1.1 response. */
  FullHttpResponse toHttp1() {
    ByteBuf body = content == null || headersOnly ? Unpooled.EMPTY_BUFFER : body();
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), body);
    HttpHeaders headers = response.headers();
    if (contentType != null) {
      headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    if (content != null) {
      headers.set(HttpHeaderNames.CONTENT_LENGTH, content.length); // a HEAD's too
    } else {
      headers.set(HttpHeaderNames.CONTENT_LENGTH, 0);
    }
    addCommon((name, value) -> headers.set(name, value));
    return response;
  }

  /** Writes the answer on HTTP/2 stream {@code streamId}, ending it. */
  void writeHttp2(ChannelHandlerContext ctx, Http2ConnectionEncoder encoder, int streamId) {
    Http2Headers headers =
        new DefaultHttp2Headers(false).status(AsciiString.of(Integer.toString(status)));
    if (contentType != null) {
      headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    if (content != null) {
      headers.setInt(HttpHeaderNames.CONTENT_LENGTH, content.length);
    }
    addCommon((name, value) -> headers.set(name, value));
    boolean bodyFollows = content != null && !headersOnly && content.length > 0;
    encoder.writeHeaders(ctx, streamId, headers, 0, !bodyFollows, ctx.newPromise());
    if (bodyFollows) {
      encoder.writeData(ctx, streamId, body(), 0, true, ctx.newPromise());
    }
  }

  private ByteBuf body() {
    return Unpooled.wrappedBuffer(content).asReadOnly(); // the file's bytes, shared
  }

  private interface HeaderSink {
    void set(CharSequence name, CharSequence value);
  }

  private void addCommon(HeaderSink headers) {
    if (etag != null) {
      headers.set(HttpHeaderNames.ETAG, etag);
    }
    headers.set(HttpHeaderNames.CACHE_CONTROL, NO_CACHE);
    headers.set(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
  }
}
