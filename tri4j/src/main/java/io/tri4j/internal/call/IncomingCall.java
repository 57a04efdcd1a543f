package io.tri4j.internal.call;

import io.tri4j.Metadata;
import io.tri4j.PeerIdentity;
import java.net.SocketAddress;

/**
 * What a server transport knows of a new call when it starts it.
 *
 * @param path the request path, {@code /service/method}
 * @param headers the request headers a handler may read
 * @param deadline when the client gives up ({@code grpc-timeout}), or null
 * @param version the {@code tri-service-version} header, or null
 * @param group the {@code tri-service-group} header, or null
 * @param authority the {@code :authority}, or null
 * @param remoteAddress the client's address
 * @param acceptEncoding the client's {@code grpc-accept-encoding}, or null
 * @param json whether messages are JSON ({@code application/grpc+json}, or HTTP/1.1 JSON) rather
 *     than protobuf bytes
 * @param peer the client's verified TLS certificates, or null (plaintext, or none presented)
 */
public record IncomingCall(
    String path,
    Metadata headers,
    Deadline deadline,
    String version,
    String group,
    String authority,
    SocketAddress remoteAddress,
    String acceptEncoding,
    boolean json,
    PeerIdentity peer) {

  /** Time left before the client's deadline, if it set one. */
  java.util.Optional<java.time.Duration> timeRemaining() {
    return deadline == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(deadline.remaining());
  }

  /** {@code compression} if the client accepts it ({@code grpc-accept-encoding}), else null. */
  io.tri4j.internal.codec.Compression accepted(io.tri4j.internal.codec.Compression compression) {
    return compression != null && compression.acceptedBy(acceptEncoding) ? compression : null;
  }

  /** A copy with other request headers (an interceptor may pass on different ones). */
  IncomingCall withHeaders(Metadata headers) {
    return headers == this.headers
        ? this
        : new IncomingCall(
            path,
            headers,
            deadline,
            version,
            group,
            authority,
            remoteAddress,
            acceptEncoding,
            json,
            peer);
  }
}
