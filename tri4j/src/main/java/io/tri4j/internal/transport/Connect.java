package io.tri4j.internal.transport;

import io.netty.util.AsciiString;
import io.tri4j.Metadata;
import io.tri4j.Status;
import java.util.List;

/**
 * The Connect protocol's request bodies: unary ({@code application/proto}, {@code
 * application/json}), the bare message; and streaming ({@code application/connect+proto}, {@code
 * application/connect+json}), envelopes as gRPC frames them, the response ending with an end
 * message ({@link io.tri4j.internal.codec.ConnectEndStream}) instead of trailers.
 */
enum Connect {
  PROTO("application/proto", false, false),
  JSON("application/json", true, false),
  STREAM_PROTO("application/connect+proto", false, true),
  STREAM_JSON("application/connect+json", true, true);

  static final AsciiString PROTOCOL_VERSION = AsciiString.cached("connect-protocol-version");
  static final AsciiString TIMEOUT_MS = AsciiString.cached("connect-timeout-ms");
  static final AsciiString CONTENT_ENCODING = AsciiString.cached("content-encoding");
  static final AsciiString ACCEPT_ENCODING = AsciiString.cached("accept-encoding");
  static final AsciiString STREAM_CONTENT_ENCODING = AsciiString.cached("connect-content-encoding");
  static final AsciiString STREAM_ACCEPT_ENCODING = AsciiString.cached("connect-accept-encoding");

  /** The prefix of a unary response's trailers, sent as headers. */
  static final String TRAILER_PREFIX = "trailer-";

  /**
   * The request headers that say how a Connect call travels (its protocol version, timeout,
   * compression and length): the handler sees the application's metadata without them, as a gRPC
   * handler sees none of gRPC's own.
   */
  static final List<String> OWN_REQUEST_HEADERS =
      List.of(
          PROTOCOL_VERSION.toString(),
          TIMEOUT_MS.toString(),
          CONTENT_ENCODING.toString(),
          ACCEPT_ENCODING.toString(),
          STREAM_CONTENT_ENCODING.toString(),
          STREAM_ACCEPT_ENCODING.toString(),
          "content-length");

  /** The content type of a unary call's error, whatever its request's. */
  static final AsciiString ERROR_CONTENT_TYPE = AsciiString.cached("application/json");

  private static final Connect[] ALL = values();
  private static final AsciiString[] CONTENT_TYPES = {
    PROTO.contentType, JSON.contentType, STREAM_PROTO.contentType, STREAM_JSON.contentType
  };

  /** The content type, of the request and of the response. */
  final AsciiString contentType;

  /** Whether messages are JSON rather than protobuf bytes. */
  final boolean json;

  /** Whether the body is enveloped messages (streaming) rather than one bare message (unary). */
  final boolean streaming;

  Connect(String contentType, boolean json, boolean streaming) {
    this.contentType = AsciiString.cached(contentType);
    this.json = json;
    this.streaming = streaming;
  }

  /** The header that names how request messages are compressed. */
  AsciiString contentEncodingHeader() {
    return streaming ? STREAM_CONTENT_ENCODING : CONTENT_ENCODING;
  }

  /** The header that lists the encodings the peer accepts. */
  AsciiString acceptEncodingHeader() {
    return streaming ? STREAM_ACCEPT_ENCODING : ACCEPT_ENCODING;
  }

  /**
   * Which Connect body a POST asks for, or null if it is not Connect. Its content type is compared
   * ignoring case, parameters and blanks. {@code application/json} counts as Connect only with a
   * {@code connect-protocol-version} header (which Connect's clients send): without one, it is
   * tri4j's HTTP/1.1 JSON call.
   */
  static Connect of(CharSequence contentType, CharSequence protocolVersion) {
    AsciiString served = ContentType.match(contentType, CONTENT_TYPES);
    if (served == null || (served == JSON.contentType && protocolVersion == null)) {
      return null;
    }
    for (Connect type : ALL) {
      if (type.contentType == served) {
        return type;
      }
    }
    return null;
  }

  /**
   * A unary response's trailers as its headers carry them: each key prefixed {@code trailer-}. The
   * details of a failure go in its error JSON instead.
   */
  static Metadata unaryTrailers(Metadata trailers, Status status) {
    Metadata prefixed = new Metadata();
    for (String key : trailers.keys()) {
      if (!status.isOk() && key.equals(Metadata.STATUS_DETAILS_KEY)) {
        continue;
      }
      if (key.endsWith(Metadata.BINARY_SUFFIX)) {
        for (byte[] value : trailers.getAllBinary(key)) {
          prefixed.putBinary(TRAILER_PREFIX + key, value);
        }
      } else {
        for (String value : trailers.getAll(key)) {
          prefixed.put(TRAILER_PREFIX + key, value);
        }
      }
    }
    return prefixed;
  }

  /** The unary body for a GET's {@code encoding} parameter, or null if it names none. */
  static Connect forGetEncoding(String encoding) {
    if ("proto".equals(encoding)) {
      return PROTO;
    }
    return "json".equals(encoding) ? JSON : null;
  }
}
