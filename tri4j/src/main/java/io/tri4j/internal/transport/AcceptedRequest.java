package io.tri4j.internal.transport;

import io.tri4j.internal.call.IncomingCall;
import io.tri4j.internal.codec.Compression;

/**
 * A request whose headers the server serves.
 *
 * @param call what the call layer learns of it, with its deadline from {@code grpc-timeout}
 * @param compression how its messages are compressed ({@code grpc-encoding}), or null
 * @param web its gRPC-Web body, or null for gRPC
 * @param tripleJson whether it is Triple's unary JSON ({@link TripleJsonExchange})
 */
record AcceptedRequest(IncomingCall call, Compression compression, GrpcWeb web, boolean tripleJson)
    implements RequestHeaderReader.Result {}
