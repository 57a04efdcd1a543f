package io.tri4j.internal.transport;

import io.netty.handler.codec.http2.Http2Error;
import io.tri4j.Status;

/** The gRPC status for an HTTP/2 error code (RST_STREAM, GOAWAY), after gRPC's PROTOCOL-HTTP2. */
final class Http2Errors {
  private Http2Errors() {}

  static Status toStatus(long errorCode, String what) {
    Http2Error error = Http2Error.valueOf(errorCode);
    Status status;
    if (error == null) {
      status = Status.INTERNAL;
    } else {
      switch (error) {
        case REFUSED_STREAM:
          status = Status.UNAVAILABLE;
          break;
        case CANCEL:
          status = Status.CANCELLED;
          break;
        case ENHANCE_YOUR_CALM:
          status = Status.RESOURCE_EXHAUSTED;
          break;
        case INADEQUATE_SECURITY:
          status = Status.PERMISSION_DENIED;
          break;
        default:
          status = Status.INTERNAL;
      }
    }
    return status.withDescription(
        what + " with error code " + (error != null ? error.name() : Long.toString(errorCode)));
  }
}
