package io.tri4j.internal.transport;

import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.tri4j.PeerIdentity;
import io.tri4j.Status;
import io.tri4j.internal.call.CallClock;
import io.tri4j.internal.call.Deadline;
import io.tri4j.internal.call.IncomingCall;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.GrpcTimeout;
import java.net.SocketAddress;

/**
 * gRPC's rules for the headers that open a request, with Dubbo's {@code tri-service-version} and
 * {@code tri-service-group}: whether the server serves the request, and if not, how it answers. The
 * checks run in wire order, so a request with several faults hears of the first: the method ({@code
 * POST}, else 405), the content type (else 415), {@code grpc-timeout} (else {@code INTERNAL}),
 * {@code grpc-encoding} (else {@code UNIMPLEMENTED}). gRPC-Web's content types are served too, and
 * its refusals take gRPC-Web's form; so are Connect's ({@link ConnectRequestReader}) and Triple's
 * unary {@code application/json} ({@link TripleJsonExchange}). Whether the path names a method is
 * the dispatcher's to say.
 */
final class RequestHeaderReader {
  /** The content types served, lower case and without parameters. */
  private static final AsciiString[] SERVED_TYPES = {
    GrpcHeaders.APPLICATION_GRPC,
    GrpcHeaders.APPLICATION_GRPC_PROTO,
    AsciiString.cached("application/grpc+data"), // dubbo-python
    GrpcHeaders.APPLICATION_GRPC_JSON,
    GrpcHeaders.APPLICATION_GRPC_WEB,
    GrpcHeaders.APPLICATION_GRPC_WEB_PROTO,
    GrpcHeaders.APPLICATION_GRPC_WEB_TEXT,
    GrpcHeaders.APPLICATION_GRPC_WEB_TEXT_PROTO,
    GrpcWeb.BINARY_JSON.contentType,
    GrpcWeb.TEXT_JSON.contentType,
    TripleJsonExchange.APPLICATION_JSON
  };

  private static final AsciiString GET = AsciiString.cached("GET");

  /** What reading a request's headers yields: an {@link AcceptedRequest} or a rejection. */
  sealed interface Result permits AcceptedRequest, RequestRejection {}

  private RequestHeaderReader() {}

  /**
   * Reads the headers of a new request stream from {@code remoteAddress}, whose verified TLS
   * identity is {@code peer} (null for none); a {@code grpc-timeout} becomes a deadline on {@code
   * clock}, of at most {@code maxDeadlineNanos} ({@link Deadline#NO_TIMEOUT} for no cap). The path
   * and authority strings come from the connection's {@code strings}.
   */
  static Result read(
      Http2Headers headers,
      SocketAddress remoteAddress,
      PeerIdentity peer,
      CallClock clock,
      long maxDeadlineNanos,
      RepeatedStrings strings) {
    if (!GrpcHeaders.POST.contentEquals(headers.method())) {
      Result connectGet =
          GET.contentEquals(headers.method())
              ? ConnectRequestReader.readGet(headers, remoteAddress, peer, clock, maxDeadlineNanos)
              : null;
      if (connectGet != null) {
        return connectGet;
      }
      return RequestRejection.httpError(
          405,
          Status.INTERNAL.withDescription(
              "Method " + headers.method() + " is not allowed: gRPC requests use POST"));
    }
    CharSequence contentType = headers.get(GrpcHeaders.CONTENT_TYPE);
    AsciiString servedType = servedType(contentType);
    boolean tripleJson = servedType == TripleJsonExchange.APPLICATION_JSON;
    if (servedType == null || (tripleJson && !TripleJsonExchange.isTripleJson(headers))) {
      Connect connect = Connect.of(contentType, headers.get(Connect.PROTOCOL_VERSION));
      if (connect != null) {
        return ConnectRequestReader.read(
            connect, headers, remoteAddress, peer, clock, maxDeadlineNanos);
      }
      return RequestRejection.httpError(
          415,
          Status.INTERNAL.withDescription(
              "Content-Type "
                  + (contentType == null ? "is missing" : "'" + contentType + "' is not supported")
                  + ": use application/grpc, application/grpc+proto, application/grpc+json,"
                  + " application/grpc-web(-text)+proto, application/grpc-web(-text)+json,"
                  + " application/json, or Connect's application/proto or"
                  + " application/connect+proto"));
    }
    GrpcWeb web = GrpcWeb.of(servedType);
    long timeoutNanos = Deadline.NO_TIMEOUT;
    CharSequence timeout = headers.get(GrpcHeaders.GRPC_TIMEOUT);
    if (timeout != null) {
      try {
        timeoutNanos = GrpcTimeout.decode(timeout);
      } catch (IllegalArgumentException e) {
        return RequestRejection.trailersOnly(Status.INTERNAL.withDescription(e.getMessage()), web);
      }
    }
    Deadline deadline = Deadline.capped(timeoutNanos, maxDeadlineNanos, clock);
    Compression compression;
    CharSequence encoding = headers.get(GrpcHeaders.GRPC_ENCODING);
    try {
      compression = Compression.forEncoding(encoding == null ? null : encoding.toString());
    } catch (IllegalArgumentException e) {
      return RequestRejection.unsupportedEncoding(
          Status.UNIMPLEMENTED.withDescription(e.getMessage()), web);
    }
    CharSequence path = headers.path();
    IncomingCall call =
        new IncomingCall(
            path == null ? "" : strings.of(path), // no path: the dispatcher finds no method
            MetadataCodec.fromHeaders(headers),
            deadline,
            stringOrNull(headers.get(GrpcHeaders.TRI_SERVICE_VERSION)),
            stringOrNull(headers.get(GrpcHeaders.TRI_SERVICE_GROUP)),
            strings.of(headers.authority()),
            remoteAddress,
            // Triple JSON's reply has no frame to flag compression in.
            tripleJson ? null : stringOrNull(headers.get(GrpcHeaders.GRPC_ACCEPT_ENCODING)),
            tripleJson
                || servedType == GrpcHeaders.APPLICATION_GRPC_JSON
                || (web != null && web.json),
            peer);
    return new AcceptedRequest(call, compression, web, tripleJson, null, null);
  }

  /** Which served type {@code contentType} is, ignoring case, parameters and blanks; or null. */
  private static AsciiString servedType(CharSequence contentType) {
    return ContentType.match(contentType, SERVED_TYPES);
  }

  private static String stringOrNull(CharSequence value) {
    return value == null || value.length() == 0 ? null : value.toString();
  }
}
