package io.tri4j.internal.transport;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.tri4j.Metadata;
import io.tri4j.MethodType;
import io.tri4j.PeerIdentity;
import io.tri4j.Status;
import io.tri4j.internal.call.CallClock;
import io.tri4j.internal.call.Deadline;
import io.tri4j.internal.call.IncomingCall;
import io.tri4j.internal.call.ServerCallDispatcher;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.ConnectTimeout;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * The Connect protocol's rules for the headers that open a request, over HTTP/2 and HTTP/1.1 alike:
 * {@code connect-protocol-version} is optional but must be {@code 1}; {@code connect-timeout-ms}
 * becomes the deadline; the request's compression is {@code content-encoding} for unary calls and
 * {@code connect-content-encoding} for streams. A GET carries a unary request in its query, for
 * methods with no side effects. Every refusal is Connect's error JSON.
 */
final class ConnectRequestReader {
  /** A request's headers, looked up by lower-case name. */
  interface Headers {
    CharSequence get(AsciiString name);
  }

  private static final AsciiString ALLOW = AsciiString.cached("allow");

  private ConnectRequestReader() {}

  /** Reads the headers of a Connect request over HTTP/2. */
  static RequestHeaderReader.Result read(
      Connect type,
      Http2Headers headers,
      SocketAddress remoteAddress,
      PeerIdentity peer,
      CallClock clock,
      long maxDeadlineNanos) {
    CharSequence path = headers.path();
    CharSequence authority = headers.authority();
    return read(
        type,
        headers::get,
        path == null ? "" : path.toString(),
        MetadataCodec.fromHeaders(headers),
        authority == null ? null : authority.toString(),
        remoteAddress,
        peer,
        clock,
        maxDeadlineNanos);
  }

  /**
   * Reads the headers of a Connect POST with body {@code type} for {@code path}; {@code metadata}
   * is what its handler sees of them.
   */
  static RequestHeaderReader.Result read(
      Connect type,
      Headers headers,
      String path,
      Metadata metadata,
      String authority,
      SocketAddress remoteAddress,
      PeerIdentity peer,
      CallClock clock,
      long maxDeadlineNanos) {
    CharSequence version = headers.get(Connect.PROTOCOL_VERSION);
    if (version != null && !"1".contentEquals(version)) {
      return RequestRejection.connect(
          Status.INVALID_ARGUMENT.withDescription(
              "connect-protocol-version must be \"1\": got \"" + version + "\""));
    }
    return accept(
        type,
        headers,
        path,
        stringOrNull(headers.get(type.contentEncodingHeader())),
        null,
        metadata,
        authority,
        remoteAddress,
        peer,
        clock,
        maxDeadlineNanos);
  }

  /** Reads a Connect GET over HTTP/2, or returns null if the GET is not Connect's. */
  static RequestHeaderReader.Result readGet(
      Http2Headers headers,
      SocketAddress remoteAddress,
      PeerIdentity peer,
      CallClock clock,
      long maxDeadlineNanos) {
    CharSequence uri = headers.path();
    CharSequence authority = headers.authority();
    return readGet(
        headers::get,
        uri == null ? "" : uri.toString(),
        () -> MetadataCodec.fromHeaders(headers),
        authority == null ? null : authority.toString(),
        remoteAddress,
        peer,
        clock,
        maxDeadlineNanos);
  }

  /**
   * Reads a Connect GET of {@code uri} ({@code ?message=&encoding=&base64=&compression=&connect=}),
   * or returns null if the GET is not Connect's (it has neither {@code encoding} nor {@code
   * message}).
   */
  static RequestHeaderReader.Result readGet(
      Headers headers,
      String uri,
      Supplier<Metadata> metadata,
      String authority,
      SocketAddress remoteAddress,
      PeerIdentity peer,
      CallClock clock,
      long maxDeadlineNanos) {
    // Latin-1: each escaped byte becomes one char, so a binary message survives decoding.
    QueryStringDecoder query = new QueryStringDecoder(uri, StandardCharsets.ISO_8859_1);
    String encoding;
    String message;
    try {
      query.path(); // decoded once here, as the parameters are: a bad escape throws
      encoding = parameter(query, "encoding");
      message = parameter(query, "message");
    } catch (IllegalArgumentException badEscape) {
      return RequestRejection.connect(BAD_ESCAPE);
    }
    if (encoding == null && message == null) {
      return null;
    }
    String connect = parameter(query, "connect");
    String problem = null;
    Connect type = Connect.forGetEncoding(encoding);
    if (connect != null && !connect.equals("v1")) {
      problem = "connect must be \"v1\": got \"" + connect + "\"";
    } else if (encoding == null) {
      problem = "missing encoding parameter: set it to proto or json";
    } else if (type == null) {
      problem = "invalid message encoding: \"" + encoding + "\"; use proto or json";
    } else if (message == null) {
      problem = "missing message parameter";
    }
    byte[] bytes = null;
    if (problem == null) {
      try {
        bytes =
            "1".equals(parameter(query, "base64"))
                ? Base64.getUrlDecoder().decode(unpadded(message))
                : message.getBytes(StandardCharsets.ISO_8859_1);
      } catch (IllegalArgumentException e) {
        problem = "message is not URL-safe base64: " + e.getMessage();
      }
    }
    if (problem != null) {
      return RequestRejection.connect(Status.INVALID_ARGUMENT.withDescription(problem));
    }
    return accept(
        type,
        headers,
        query.path(),
        parameter(query, "compression"),
        bytes,
        metadata.get(),
        authority,
        remoteAddress,
        peer,
        clock,
        maxDeadlineNanos);
  }

  private static RequestHeaderReader.Result accept(
      Connect type,
      Headers headers,
      String path,
      String contentEncoding,
      byte[] getMessage,
      Metadata metadata,
      String authority,
      SocketAddress remoteAddress,
      PeerIdentity peer,
      CallClock clock,
      long maxDeadlineNanos) {
    long timeoutNanos = Deadline.NO_TIMEOUT;
    CharSequence timeout = headers.get(Connect.TIMEOUT_MS);
    if (timeout != null) {
      try {
        timeoutNanos = ConnectTimeout.decode(timeout);
      } catch (IllegalArgumentException e) {
        return RequestRejection.connect(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
      }
    }
    Deadline deadline = Deadline.capped(timeoutNanos, maxDeadlineNanos, clock);
    Compression compression;
    try {
      compression = Compression.forEncoding(contentEncoding);
    } catch (IllegalArgumentException e) {
      return RequestRejection.connect(Status.UNIMPLEMENTED.withDescription(e.getMessage()));
    }
    for (String own : Connect.OWN_REQUEST_HEADERS) {
      metadata.remove(own);
    }
    IncomingCall call =
        new IncomingCall(
            path,
            metadata,
            deadline,
            stringOrNull(headers.get(GrpcHeaders.TRI_SERVICE_VERSION)),
            stringOrNull(headers.get(GrpcHeaders.TRI_SERVICE_GROUP)),
            authority,
            remoteAddress,
            stringOrNull(headers.get(type.acceptEncodingHeader())),
            type.json,
            peer);
    return new AcceptedRequest(call, compression, null, false, type, getMessage);
  }

  /** A URL whose %-escapes do not decode. */
  static final Status BAD_ESCAPE =
      Status.INVALID_ARGUMENT.withDescription(
          "The request's URL has a malformed %-escape (a % not followed by two hex digits)");

  private static String parameter(QueryStringDecoder query, String name) {
    List<String> values = query.parameters().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Base64 without its padding, which the URL-safe decoder then accepts either way. */
  private static String unpadded(String base64) {
    int end = base64.length();
    while (end > 0 && base64.charAt(end - 1) == '=') {
      end--;
    }
    return base64.substring(0, end);
  }

  /**
   * Why the method of an accepted Connect request cannot take it, or null if it can: no such method
   * (404), a unary body for a streaming method or the other way round (415), JSON for a method
   * without it (415).
   */
  static RequestRejection refusal(ServerCallDispatcher dispatcher, AcceptedRequest request) {
    IncomingCall call = request.call();
    MethodType methodType = dispatcher.methodType(call);
    if (methodType == null) {
      return RequestRejection.connect(dispatcher.unimplemented(call), 404);
    }
    if (request.getMessage() != null
        && (methodType != MethodType.UNARY || !dispatcher.noSideEffects(call))) {
      RequestRejection refusal =
          RequestRejection.connect(
              Status.UNIMPLEMENTED.withDescription(
                  "Method "
                      + call.path().substring(1)
                      + " may have side effects: call it with POST (GET serves unary methods"
                      + " marked idempotency_level = NO_SIDE_EFFECTS)"),
              405);
      refusal.headers().add(ALLOW, GrpcHeaders.POST);
      return refusal;
    }
    Connect type = request.connect();
    boolean streaming = methodType != MethodType.UNARY;
    if (streaming != type.streaming) {
      return RequestRejection.connect(
          Status.UNIMPLEMENTED.withDescription(
              "Method "
                  + call.path().substring(1)
                  + " is "
                  + methodType
                  + ": send "
                  + (streaming
                      ? "application/connect+proto or application/connect+json"
                      : "application/proto or application/json")
                  + ", not "
                  + type.contentType),
          415);
    }
    Status jsonUnsupported = type.json ? dispatcher.jsonUnsupported(call) : null;
    return jsonUnsupported == null ? null : RequestRejection.connect(jsonUnsupported, 415);
  }

  private static String stringOrNull(CharSequence value) {
    return value == null || value.length() == 0 ? null : value.toString();
  }
}
