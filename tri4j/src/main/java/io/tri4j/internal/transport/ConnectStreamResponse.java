package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.ConnectEndStream;
import io.tri4j.internal.codec.ConnectWireError;
import io.tri4j.internal.codec.EnvelopeSplitter;
import io.tri4j.internal.codec.HttpStatusMapping;
import io.tri4j.internal.codec.MessageFramer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Connect streaming response: HTTP 200 ({@code application/connect+proto}), messages in envelopes
 * as gRPC frames (compressed as {@code connect-content-encoding} says), and the call's end as a
 * last envelope flagged {@code 0x02} holding JSON with the error, if any, and the trailers.
 */
final class ConnectStreamResponse extends WebResponse implements EnvelopeSplitter.Listener {
  private static final AsciiString CONNECT_CONTENT_ENCODING =
      AsciiString.cached("connect-content-encoding");

  private final AsciiString contentType;
  private final int maxSize;
  private final EnvelopeSplitter splitter;
  private static final AsciiString JSON = AsciiString.cached("application/json");

  private boolean headersReceived;
  private int errorStatus; // non-zero: the HTTP status of a refusal whose error JSON is arriving
  private java.io.ByteArrayOutputStream errorBody; // its error JSON
  private Compression decompression;

  /** A reader of a response of {@code contentType}, its end message at most {@code maxSize}. */
  ConnectStreamResponse(NettyClientStream stream, AsciiString contentType, int maxSize) {
    super(stream);
    this.contentType = contentType;
    this.maxSize = maxSize;
    this.splitter = new EnvelopeSplitter(this, ConnectEndStream.FLAG, maxSize);
  }

  @Override
  void onHeaders(Http2Headers frame, boolean endOfStream) {
    if (headersReceived) {
      if (endOfStream && !splitter.ended()) {
        stream.failAndReset(missingEnd());
      }
      return; // Connect sends no HTTP trailers: the end message says it all
    }
    int status = ResponseHeaderReader.httpStatus(frame);
    if (ResponseHeaderReader.informational(status) && !endOfStream) {
      return; // 100 Continue, 103 Early Hints: the response follows
    }
    headersReceived = true;
    if (status != 200) {
      CharSequence type = frame.get(GrpcHeaders.CONTENT_TYPE);
      if (!endOfStream && type != null && AsciiString.contentEqualsIgnoreCase(type, JSON)) {
        errorStatus = status; // a refusal before the stream began: Connect's error JSON follows
        errorBody = new java.io.ByteArrayOutputStream();
        return;
      }
      stream.failAndReset(
          HttpStatusMapping.toStatus(status)
              .withDescription("HTTP status " + status + " for a Connect stream"));
      return;
    }
    CharSequence type = frame.get(GrpcHeaders.CONTENT_TYPE);
    if (type == null
        || !AsciiString.regionMatches(type, true, 0, contentType, 0, contentType.length())) {
      stream.failAndReset(
          Status.UNKNOWN.withDescription(
              "The response is not Connect's " + contentType + ": content-type " + type));
      return;
    }
    CharSequence encoding = frame.get(CONNECT_CONTENT_ENCODING);
    try {
      decompression = encoding == null ? null : Compression.forEncoding(encoding.toString());
    } catch (IllegalArgumentException e) {
      stream.failAndReset(Status.INTERNAL.withDescription("The server used " + e.getMessage()));
      return;
    }
    stream.headersRead(MetadataCodec.fromHeaders(frame), decompression);
    if (endOfStream) {
      stream.failAndReset(missingEnd());
    }
  }

  @Override
  void onData(ByteBuf data, boolean endOfStream) {
    if (!headersReceived) {
      stream.dataBeforeHeaders(data);
      return;
    }
    if (errorStatus != 0) {
      errorBody(data, endOfStream);
      return;
    }
    Frames.split(data, splitter);
    if (endOfStream && !stream.isClosed() && !splitter.ended()) {
      stream.failAndReset(missingEnd());
    }
  }

  /** Gathers the error JSON of a refused stream (at most {@code maxSize}) and ends the call. */
  private void errorBody(ByteBuf data, boolean endOfStream) {
    stream.consumed(data.readableBytes());
    if (errorBody.size() + (long) data.readableBytes() > maxSize) {
      stream.failAndReset(HttpStatusMapping.toStatus(errorStatus));
      return;
    }
    errorBody.writeBytes(ByteBufUtil.getBytes(data));
    if (endOfStream) {
      stream.failAndReset(ConnectWireError.fromBody(errorBody.toByteArray(), errorStatus).status());
    }
  }

  private static Status missingEnd() {
    return Status.INTERNAL.withDescription(
        "The server ended the Connect stream without its end-of-stream message");
  }

  @Override
  public void messageBytes(ByteBuffer bytes) {
    stream.deframe(bytes);
  }

  @Override
  public void endFrame(int flags, byte[] body) {
    ConnectEndStream end;
    try {
      if ((flags & MessageFramer.COMPRESSED_FLAG) != 0) {
        if (decompression == null) {
          stream.failAndReset(
              Status.INTERNAL.withDescription(
                  "Compressed end-of-stream message, but the response has no encoding"));
          return;
        }
        body = decompression.decompress(body, maxSize);
      }
      end = ConnectEndStream.read(body);
    } catch (StatusException e) {
      stream.failAndReset(e.getStatus());
      return;
    } catch (IllegalArgumentException e) {
      stream.failAndReset(
          Status.INTERNAL.withDescription("Bad Connect end-of-stream message: " + e.getMessage()));
      return;
    }
    Http2Headers trailers = new DefaultHttp2Headers(false);
    for (Map.Entry<String, List<String>> entry : end.metadata().entrySet()) {
      AsciiString name = AsciiString.of(entry.getKey().toLowerCase(Locale.ROOT));
      for (String value : entry.getValue()) {
        trailers.add(name, value);
      }
    }
    stream.trailersRead(
        end.error().status(),
        ConnectUnaryResponse.withDetails(MetadataCodec.fromHeaders(trailers), end.error()));
  }

  @Override
  public void bytesUsed(int count) {
    stream.consumed(count);
  }

  @Override
  public void failed(Status status) {
    stream.failAndReset(status);
  }
}
