package io.tri4j.opentelemetry;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.tri4j.Metadata;
import java.util.HexFormat;

/**
 * The {@code grpc-trace-bin} header that OpenCensus-era gRPC clients send: version 0, then fields
 * tagged 0 (the 16-byte trace id), 1 (the 8-byte span id) and 2 (one byte of trace options). Read
 * only, for a server whose client sent no W3C {@code traceparent}.
 */
final class GrpcTraceBin {
  private GrpcTraceBin() {}

  /** The remote parent in {@code headers}' {@code grpc-trace-bin}, or null if none is valid. */
  static SpanContext read(Metadata headers) {
    byte[] bytes = headers.getBinary(Metadata.TRACE_KEY);
    if (bytes == null || bytes.length < 1 + 17 + 9 || bytes[0] != 0) {
      return null;
    }
    int at = 1;
    String traceId = null;
    String spanId = null;
    byte options = 0;
    while (at < bytes.length) {
      int field = bytes[at++];
      if (field == 0 && at + 16 <= bytes.length) {
        traceId = HexFormat.of().formatHex(bytes, at, at + 16);
        at += 16;
      } else if (field == 1 && at + 8 <= bytes.length) {
        spanId = HexFormat.of().formatHex(bytes, at, at + 8);
        at += 8;
      } else if (field == 2 && at + 1 <= bytes.length) {
        options = bytes[at++];
      } else {
        break; // a later version's field: what came before it still counts
      }
    }
    if (traceId == null || spanId == null) {
      return null;
    }
    SpanContext context =
        SpanContext.createFromRemoteParent(
            traceId, spanId, TraceFlags.fromByte((byte) (options & 1)), TraceState.getDefault());
    return context.isValid() ? context : null;
  }
}
