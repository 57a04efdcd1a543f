package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.ConnectWireError;
import io.tri4j.internal.codec.MessageFramer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * A Connect unary response: HTTP 200 with the bare message as its body ({@code application/proto},
 * compressed as {@code content-encoding} says), or another HTTP status with Connect's error JSON.
 * Trailers travel as headers prefixed {@code trailer-}. The body is gathered whole, then handed to
 * the deframer as one message, so demand and the size limit work as for gRPC.
 */
final class ConnectUnaryResponse extends WebResponse {
  private static final AsciiString CONTENT_ENCODING = AsciiString.cached("content-encoding");
  private static final String TRAILER_PREFIX = "trailer-";

  private final AsciiString contentType;
  private final int maxSize;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private int httpStatus = -1;
  private Compression decompression;
  private Metadata headers;
  private Metadata trailers;

  /** A reader of a response of {@code contentType}, its body at most {@code maxSize} bytes. */
  ConnectUnaryResponse(NettyClientStream stream, AsciiString contentType, int maxSize) {
    super(stream);
    this.contentType = contentType;
    this.maxSize = maxSize;
  }

  @Override
  void onHeaders(Http2Headers frame, boolean endOfStream) {
    if (httpStatus < 0
        && !endOfStream
        && ResponseHeaderReader.informational(ResponseHeaderReader.httpStatus(frame))) {
      return; // 100 Continue, 103 Early Hints: the response follows
    }
    if (httpStatus >= 0) {
      // Connect sends no HTTP trailers; any that come are taken as trailers all the same.
      trailers.merge(MetadataCodec.fromHeaders(frame));
    } else if (!responseHeaders(frame)) {
      return;
    }
    if (endOfStream) {
      end();
    }
  }

  /** Reads the response headers; false if the call failed on them. */
  private boolean responseHeaders(Http2Headers frame) {
    httpStatus = Math.max(0, ResponseHeaderReader.httpStatus(frame));
    Http2Headers own = new DefaultHttp2Headers(false);
    Http2Headers trailing = new DefaultHttp2Headers(false);
    for (Map.Entry<CharSequence, CharSequence> entry : frame) {
      CharSequence name = entry.getKey();
      if (AsciiString.regionMatches(name, true, 0, TRAILER_PREFIX, 0, TRAILER_PREFIX.length())) {
        trailing.add(name.subSequence(TRAILER_PREFIX.length(), name.length()), entry.getValue());
      } else {
        own.add(name, entry.getValue());
      }
    }
    headers = MetadataCodec.fromHeaders(own);
    trailers = MetadataCodec.fromHeaders(trailing);
    CharSequence encoding = frame.get(CONTENT_ENCODING);
    try {
      decompression = encoding == null ? null : Compression.forEncoding(encoding.toString());
    } catch (IllegalArgumentException e) {
      stream.failAndReset(Status.INTERNAL.withDescription("The server used " + e.getMessage()));
      return false;
    }
    if (httpStatus == 200) {
      CharSequence type = frame.get(GrpcHeaders.CONTENT_TYPE);
      if (type == null
          || !AsciiString.regionMatches(type, true, 0, contentType, 0, contentType.length())) {
        stream.failAndReset(
            Status.UNKNOWN.withDescription(
                "The response is not Connect's " + contentType + ": content-type " + type));
        return false;
      }
      stream.headersRead(headers, decompression);
    }
    return true;
  }

  @Override
  void onData(ByteBuf data, boolean endOfStream) {
    if (httpStatus < 0) {
      stream.dataBeforeHeaders(data);
      return;
    }
    int n = data.readableBytes();
    stream.consumed(n); // the body is gathered here, so its credit goes back at once
    if (body.size() + (long) n > maxSize) {
      stream.failAndReset(
          Status.RESOURCE_EXHAUSTED.withDescription(
              "The response body is larger than the limit of " + maxSize + " bytes"));
      return;
    }
    body.writeBytes(ByteBufUtil.getBytes(data));
    if (endOfStream) {
      end();
    }
  }

  @Override
  void deframed(int count) {
    // credited as it arrived
  }

  private void end() {
    byte[] bytes = body.toByteArray();
    if (httpStatus == 200) {
      byte[] framed = new byte[MessageFramer.HEADER_LENGTH + bytes.length];
      MessageFramer.writeHeader(framed, 0, bytes.length, decompression != null);
      System.arraycopy(bytes, 0, framed, MessageFramer.HEADER_LENGTH, bytes.length);
      stream.deframe(ByteBuffer.wrap(framed));
      stream.trailersRead(Status.OK, trailers);
      return;
    }
    if (decompression != null) {
      try {
        bytes = decompression.decompress(bytes, maxSize);
      } catch (StatusException e) {
        stream.failAndReset(e.getStatus());
        return;
      }
    }
    ConnectWireError error = ConnectWireError.fromBody(bytes, httpStatus);
    // An error's metadata is its headers and trailers together, as Connect's clients see it.
    stream.trailersRead(error.status(), withDetails(headers.merge(trailers), error));
  }

  /** {@code trailers} with the error's details where gRPC keeps them, if it has any. */
  static Metadata withDetails(Metadata trailers, ConnectWireError error) {
    if (error.statusDetails() != null && !trailers.containsKey(Metadata.STATUS_DETAILS_KEY)) {
      trailers.putBinary(Metadata.STATUS_DETAILS_KEY, error.statusDetails());
    }
    return trailers;
  }
}
