package io.tri4j.internal.codec;

import io.tri4j.Status;

/**
 * The gRPC status for an HTTP response that carries none (a proxy's error page, a server that does
 * not speak gRPC), after the table in gRPC's "HTTP to gRPC status code mapping".
 */
public final class HttpStatusMapping {
  private HttpStatusMapping() {}

  public static Status toStatus(int httpStatus) {
    Status status;
    switch (httpStatus) {
      case 400:
      case 431:
        status = Status.INTERNAL;
        break;
      case 401:
        status = Status.UNAUTHENTICATED;
        break;
      case 403:
        status = Status.PERMISSION_DENIED;
        break;
      case 404:
        status = Status.UNIMPLEMENTED;
        break;
      case 429:
      case 502:
      case 503:
      case 504:
        status = Status.UNAVAILABLE;
        break;
      default:
        status = Status.UNKNOWN;
    }
    return status.withDescription("HTTP status code " + httpStatus);
  }
}
