package io.tri4j.internal.transport;

import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.ReadOnlyHttp2Headers;
import io.netty.util.AsciiString;
import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.internal.call.Deadline;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.GrpcTimeout;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HEADERS of one client's gRPC calls. What every call carries (content type, {@code te}, user
 * agent, accepted encodings, the client's fixed headers) and each method's path are made once; a
 * call adds only its own values (timeout, encoding, metadata) and goes out as read-only headers
 * over one array, without a header map per call. A call that adds none (no deadline, compression or
 * metadata) goes out with its method's headers as they are, made once.
 */
final class GrpcRequestHeaders {
  /** Paths kept at most: a client that makes up method names pays for the rest per call. */
  private static final int MAX_PATHS = 1024;

  private final AsciiString[] leading;
  private final AsciiString[] fixed;
  private final Map<MethodInfo, AsciiString> paths = new ConcurrentHashMap<>();

  /** A method's headers for calls that add nothing, for the scheme and authority they name. */
  private record Bare(AsciiString scheme, AsciiString authority, Http2Headers headers) {}

  private final Map<AsciiString, Bare> bare = new ConcurrentHashMap<>();

  /** Calls sending {@code contentType} and {@code fixed} (name to value) besides gRPC's own. */
  GrpcRequestHeaders(AsciiString contentType, Map<String, String> fixed) {
    this.leading =
        new AsciiString[] {
          GrpcHeaders.CONTENT_TYPE,
          contentType,
          GrpcHeaders.TE,
          GrpcHeaders.TRAILERS,
          GrpcHeaders.USER_AGENT_KEY,
          GrpcHeaders.USER_AGENT
        };
    this.fixed = new AsciiString[2 * fixed.size()];
    int i = 0;
    for (Map.Entry<String, String> e : fixed.entrySet()) {
      this.fixed[i++] = AsciiString.of(e.getKey());
      this.fixed[i++] = AsciiString.of(e.getValue());
    }
  }

  /** {@code /service/method}, made once per method. */
  AsciiString path(MethodInfo method) {
    AsciiString path = paths.get(method);
    if (path == null) {
      path = AsciiString.of("/" + method.fullName());
      if (paths.size() < MAX_PATHS) {
        paths.putIfAbsent(method, path);
      }
    }
    return path;
  }

  /** The HEADERS of one call; {@code deadline} and {@code compression} may be null. */
  Http2Headers forCall(
      AsciiString path,
      AsciiString scheme,
      AsciiString authority,
      Deadline deadline,
      Compression compression,
      Metadata metadata) {
    if (deadline == null && compression == null && metadata.isEmpty()) {
      Bare cached = bare.get(path);
      if (cached != null && cached.scheme == scheme && cached.authority == authority) {
        return cached.headers; // read-only: shared by every such call
      }
      Http2Headers headers = build(path, scheme, authority, null, null, metadata);
      if (bare.size() < MAX_PATHS) {
        bare.put(path, new Bare(scheme, authority, headers));
      }
      return headers;
    }
    return build(path, scheme, authority, deadline, compression, metadata);
  }

  private Http2Headers build(
      AsciiString path,
      AsciiString scheme,
      AsciiString authority,
      Deadline deadline,
      Compression compression,
      Metadata metadata) {
    int size =
        leading.length
            + (deadline == null ? 0 : 2)
            + 2
            + (compression == null ? 0 : 2)
            + fixed.length
            + 2 * metadata.size();
    AsciiString[] headers = new AsciiString[size];
    System.arraycopy(leading, 0, headers, 0, leading.length);
    int i = leading.length;
    if (deadline != null) {
      headers[i++] = GrpcHeaders.GRPC_TIMEOUT;
      headers[i++] = AsciiString.of(GrpcTimeout.encode(deadline.remainingNanos()));
    }
    headers[i++] = GrpcHeaders.GRPC_ACCEPT_ENCODING;
    headers[i++] = GrpcHeaders.ACCEPT_ENCODINGS;
    if (compression != null) {
      headers[i++] = GrpcHeaders.GRPC_ENCODING;
      headers[i++] = AsciiString.of(compression.encoding());
    }
    System.arraycopy(fixed, 0, headers, i, fixed.length);
    MetadataCodec.copyTo(headers, i + fixed.length, metadata);
    return ReadOnlyHttp2Headers.clientHeaders(
        false, GrpcHeaders.POST, path, scheme, authority, headers);
  }
}
