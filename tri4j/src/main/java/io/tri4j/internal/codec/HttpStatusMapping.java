package io.tri4j.internal.codec;

import io.tri4j.Status;

/**
 * Between gRPC statuses and HTTP status codes: the status for an HTTP response that carries none (a
 * proxy's error page, a server that does not speak gRPC), after gRPC's "HTTP to gRPC status code
 * mapping"; and the HTTP status of a failed call answered over HTTP/1.1 + JSON, after the mapping
 * that HTTP/JSON gateways for gRPC use.
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

  /** The HTTP status that stands for a gRPC status code in an HTTP/1.1 + JSON response. */
  public static int toHttpStatus(Status.Code code) {
    switch (code) {
      case OK:
        return 200;
      case CANCELLED:
        return 499;
      case INVALID_ARGUMENT:
      case FAILED_PRECONDITION:
      case OUT_OF_RANGE:
        return 400;
      case DEADLINE_EXCEEDED:
        return 504;
      case NOT_FOUND:
        return 404;
      case ALREADY_EXISTS:
      case ABORTED:
        return 409;
      case PERMISSION_DENIED:
        return 403;
      case RESOURCE_EXHAUSTED:
        return 429;
      case UNIMPLEMENTED:
        return 501;
      case UNAVAILABLE:
        return 503;
      case UNAUTHENTICATED:
        return 401;
      default:
        return 500;
    }
  }
}
