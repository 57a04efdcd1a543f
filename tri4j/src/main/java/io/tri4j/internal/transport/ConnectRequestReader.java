package io.tri4j.internal.transport;

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

/**
 * The Connect protocol's rules for the headers that open a request, over HTTP/2 and HTTP/1.1 alike:
 * {@code connect-protocol-version} is optional but must be {@code 1}; {@code connect-timeout-ms}
 * becomes the deadline; the request's compression is {@code content-encoding} for unary calls and
 * {@code connect-content-encoding} for streams. Every refusal is Connect's error JSON.
 */
final class ConnectRequestReader {
  /** A request's headers, looked up by lower-case name. */
  interface Headers {
    CharSequence get(AsciiString name);
  }

  private ConnectRequestReader() {}

  /** Reads the headers of a Connect request over HTTP/2. */
  static RequestHeaderReader.Result read(
      Connect type,
      Http2Headers headers,
      SocketAddress remoteAddress,
      PeerIdentity peer,
      CallClock clock) {
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
        clock);
  }

  /**
   * Reads the headers of a Connect request with body {@code type} for {@code path}; {@code
   * metadata} is what its handler sees of them.
   */
  static RequestHeaderReader.Result read(
      Connect type,
      Headers headers,
      String path,
      Metadata metadata,
      String authority,
      SocketAddress remoteAddress,
      PeerIdentity peer,
      CallClock clock) {
    CharSequence version = headers.get(Connect.PROTOCOL_VERSION);
    if (version != null && !"1".contentEquals(version)) {
      return RequestRejection.connect(
          Status.INVALID_ARGUMENT.withDescription(
              "connect-protocol-version must be \"1\": got \"" + version + "\""));
    }
    Deadline deadline = null;
    CharSequence timeout = headers.get(Connect.TIMEOUT_MS);
    if (timeout != null) {
      try {
        deadline = Deadline.after(ConnectTimeout.decode(timeout), clock);
      } catch (IllegalArgumentException e) {
        return RequestRejection.connect(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
      }
    }
    Compression compression;
    try {
      compression =
          Compression.forEncoding(stringOrNull(headers.get(type.contentEncodingHeader())));
    } catch (IllegalArgumentException e) {
      return RequestRejection.connect(Status.UNIMPLEMENTED.withDescription(e.getMessage()));
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
    return new AcceptedRequest(call, compression, null, type);
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
