package io.tri4j.internal.transport;

import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.tri4j.Status;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.GrpcMessageEncoding;
import io.tri4j.internal.codec.HttpStatusMapping;

/**
 * gRPC's rules for the HEADERS frames a client receives on one call: first the response headers
 * (HTTP 200, a gRPC content type, an encoding this side decodes), then the trailers, which end the
 * stream and carry the status; or a single frame that ends the stream (trailers-only). Anything
 * else fails the call. gRPC-Web's responses follow the same rules with their own content type. One
 * reader per stream, used on its event loop.
 */
final class ResponseHeaderReader {
  /** What a HEADERS frame turned out to be. */
  enum Kind {
    /** The response headers: messages may follow, in {@link #decompression()}. */
    HEADERS,
    /** The trailers, with the call's {@link #status()}. */
    TRAILERS,
    /** Not allowed here: the call fails with {@link #status()}. */
    MALFORMED,
    /** An informational (1xx) response, which the real one follows: nothing to do. */
    INFORMATIONAL
  }

  private final AsciiString contentType;
  private final String protocol;
  private boolean headersReceived;
  private int httpStatus;
  private Compression decompression;
  private Status status;

  /** A reader of gRPC responses. */
  ResponseHeaderReader() {
    this(GrpcHeaders.APPLICATION_GRPC, "gRPC");
  }

  /**
   * A reader of {@code protocol}'s responses, whose content type is {@code contentType}, or it with
   * a suffix.
   */
  ResponseHeaderReader(AsciiString contentType, String protocol) {
    this.contentType = contentType;
    this.protocol = protocol;
  }

  /** Reads the next HEADERS frame of the stream. */
  Kind read(Http2Headers headers, boolean endOfStream) {
    if (headersReceived) {
      if (!endOfStream) {
        return malformed(
            Status.INTERNAL.withDescription("Received headers twice without END_STREAM"));
      }
      return trailers(headers);
    }
    int status = httpStatus(headers);
    if (informational(status) && !endOfStream) {
      return Kind.INFORMATIONAL; // 100 Continue, 103 Early Hints: HTTP/2 allows any before
    }
    headersReceived = true;
    httpStatus = status;
    if (endOfStream) {
      return trailers(headers); // trailers-only: the status alone, whatever the HTTP status
    }
    CharSequence contentType = headers.get(GrpcHeaders.CONTENT_TYPE);
    if (httpStatus != 200) {
      return malformed(
          HttpStatusMapping.toStatus(httpStatus)
              .withDescription(
                  "HTTP status code " + httpStatus + " with content-type " + contentType));
    }
    if (!isExpected(contentType)) {
      return malformed(
          Status.UNKNOWN.withDescription(
              "The response is not " + protocol + ": content-type " + contentType));
    }
    CharSequence encoding = headers.get(GrpcHeaders.GRPC_ENCODING);
    if (encoding != null) {
      try {
        decompression = Compression.forEncoding(encoding.toString());
      } catch (IllegalArgumentException e) {
        return malformed(Status.INTERNAL.withDescription("The server used " + e.getMessage()));
      }
    }
    return Kind.HEADERS;
  }

  /** How the response's messages are compressed, after {@link Kind#HEADERS}; null for none. */
  Compression decompression() {
    return decompression;
  }

  /** After {@link Kind#TRAILERS}, the call's status; after {@link Kind#MALFORMED}, why it fails. */
  Status status() {
    return status;
  }

  private Kind trailers(Http2Headers trailers) {
    status = statusOf(trailers, httpStatus);
    return Kind.TRAILERS;
  }

  private Kind malformed(Status failure) {
    status = failure;
    return Kind.MALFORMED;
  }

  /**
   * The status in a response's trailers (or its only headers). A missing {@code grpc-status} falls
   * back to the HTTP status, as gRPC's HTTP mapping says; Dubbo 3.3 sends a non-200 {@code :status}
   * with a valid {@code grpc-status}, which wins.
   */
  static Status statusOf(Http2Headers trailers, int httpStatus) {
    CharSequence code = trailers.get(GrpcHeaders.GRPC_STATUS);
    if (code == null) {
      if (httpStatus != 200) {
        return HttpStatusMapping.toStatus(httpStatus);
      }
      return Status.UNKNOWN.withDescription("The response has no grpc-status");
    }
    int value = digits(code, true);
    if (value < 0) {
      return Status.UNKNOWN.withDescription("Invalid grpc-status: " + code);
    }
    Status status = Status.fromCodeValue(value);
    CharSequence message = trailers.get(GrpcHeaders.GRPC_MESSAGE);
    if (message != null) {
      status =
          status.withDescription(GrpcMessageEncoding.decode(AsciiString.of(message).toByteArray()));
    }
    return status;
  }

  /** The numeric {@code :status}, or -1 if absent or malformed. */
  /**
   * Whether headers of HTTP status {@code status} are informational (1xx): the response follows.
   */
  static boolean informational(int status) {
    return status >= 100 && status < 200;
  }

  /** Whether the response headers (not informational ones) have come. */
  boolean headersReceived() {
    return headersReceived;
  }

  static int httpStatus(Http2Headers headers) {
    CharSequence status = headers.status();
    if (status == null) {
      return -1;
    }
    return GrpcHeaders.STATUS_200.contentEquals(status) ? 200 : digits(status, false);
  }

  /**
   * Whether a response's content-type is the expected one, such as gRPC's {@code
   * application/grpc[+x][;params]}.
   */
  private boolean isExpected(CharSequence contentType) {
    int n = this.contentType.length();
    return contentType != null
        && AsciiString.regionMatches(contentType, true, 0, this.contentType, 0, n)
        && (contentType.length() == n
            || contentType.charAt(n) == '+'
            || contentType.charAt(n) == ';');
  }

  /**
   * The value of a decimal number of at most nine digits, optionally with blanks around it; -1 if
   * it is anything else. Reads in place: no string is made per response.
   */
  private static int digits(CharSequence value, boolean trim) {
    int start = 0;
    int end = value.length();
    if (trim) {
      while (start < end && value.charAt(start) <= ' ') {
        start++;
      }
      while (end > start && value.charAt(end - 1) <= ' ') {
        end--;
      }
    }
    if (start == end || end - start > 9) {
      return -1;
    }
    int result = 0;
    for (int i = start; i < end; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      result = result * 10 + (c - '0');
    }
    return result;
  }
}
