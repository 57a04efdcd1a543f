package io.tri4j.internal.transport;

import io.tri4j.Status;
import io.tri4j.internal.call.IncomingCall;
import io.tri4j.internal.codec.Compression;

/**
 * A request whose headers the server serves.
 *
 * @param call what the call layer learns of it, with its deadline from {@code grpc-timeout}
 * @param compression how its messages are compressed ({@code grpc-encoding}), or null
 * @param web its gRPC-Web body, or null for gRPC
 * @param tripleJson whether it is Triple's unary JSON ({@link TripleJsonExchange})
 * @param connect its Connect body, or null for gRPC
 * @param getMessage the request of a Connect GET, from its query; null for any other request
 */
record AcceptedRequest(
    IncomingCall call,
    Compression compression,
    GrpcWeb web,
    boolean tripleJson,
    Connect connect,
    byte[] getMessage)
    implements RequestHeaderReader.Result {

  AcceptedRequest(IncomingCall call, Compression compression, GrpcWeb web) {
    this(call, compression, web, false, null, null);
  }

  /** Refuses the call with {@code status} (the server is busy), in its protocol's form. */
  RequestRejection refuse(Status status) {
    return connect != null
        ? RequestRejection.connect(status)
        : RequestRejection.trailersOnly(status, web);
  }
}
