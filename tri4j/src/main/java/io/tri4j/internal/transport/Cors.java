package io.tri4j.internal.transport;

import io.netty.util.AsciiString;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Which web pages of other origins may call the server (CORS), and the headers that tell a browser
 * so; the same rules over HTTP/1.1 ({@link Http1Cors}) and HTTP/2 ({@link Http2Cors}).
 *
 * <p>A preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method})
 * from an allowed origin gets 204 with the methods, the headers asked for, and how long to cache
 * the answer; from another origin, 403. A call from an allowed origin gets {@code
 * Access-Control-Allow-Origin} and {@code Access-Control-Expose-Headers} naming the headers
 * gRPC-Web and Connect clients read (and every header of that response, since metadata and
 * Connect's {@code trailer-*} are named by the application); a call from another origin gets no
 * CORS headers, so the browser keeps the answer from the page. Without allowed origins no rule is
 * installed at all.
 */
final class Cors {
  static final AsciiString ORIGIN = AsciiString.cached("origin");
  static final AsciiString REQUEST_METHOD = AsciiString.cached("access-control-request-method");
  static final AsciiString REQUEST_HEADERS = AsciiString.cached("access-control-request-headers");
  static final AsciiString OPTIONS = AsciiString.cached("OPTIONS");

  private static final AsciiString ALLOW_ORIGIN = AsciiString.cached("access-control-allow-origin");
  private static final AsciiString ALLOW_METHODS =
      AsciiString.cached("access-control-allow-methods");
  private static final AsciiString ALLOW_HEADERS =
      AsciiString.cached("access-control-allow-headers");
  private static final AsciiString MAX_AGE = AsciiString.cached("access-control-max-age");
  private static final AsciiString EXPOSE_HEADERS =
      AsciiString.cached("access-control-expose-headers");
  private static final AsciiString VARY = AsciiString.cached("vary");

  private static final AsciiString METHODS = AsciiString.cached("POST, GET");

  /** Two hours: the longest that Chromium caches a preflight. */
  private static final AsciiString MAX_AGE_SECONDS = AsciiString.cached("7200");

  /** Headers that gRPC-Web and Connect clients read, exposed on every response. */
  private static final List<String> EXPOSED =
      List.of(
          "grpc-status",
          "grpc-message",
          "grpc-status-details-bin",
          "grpc-encoding",
          "grpc-accept-encoding",
          "content-encoding",
          "connect-content-encoding",
          "connect-accept-encoding");

  /** Headers a browser lets a page read anyway, or that are not the page's business. */
  private static final Set<String> NOT_EXPOSED =
      Set.of(
          "content-type",
          "content-length",
          "cache-control",
          "connection",
          "transfer-encoding",
          "vary",
          "date");

  private final Set<String> origins;
  private final boolean any;

  private Cors(Set<String> origins) {
    this.origins = origins;
    this.any = origins.contains("*");
  }

  /** The rules for {@code allowedOrigins} ({@code "*"}: any), or null if there are none. */
  static Cors of(List<String> allowedOrigins) {
    return allowedOrigins.isEmpty() ? null : new Cors(new LinkedHashSet<>(allowedOrigins));
  }

  /** Whether a page of {@code origin} may call; false for none. */
  boolean allows(CharSequence origin) {
    return origin != null && (any || origins.contains(origin.toString()));
  }

  /** Whether a request is a CORS preflight rather than a call. */
  static boolean isPreflight(CharSequence method, CharSequence origin, CharSequence requestMethod) {
    return OPTIONS.contentEqualsIgnoreCase(method) && origin != null && requestMethod != null;
  }

  /** The HTTP status of the answer to a preflight from {@code origin}: 204, or 403. */
  int preflightStatus(CharSequence origin) {
    return allows(origin) ? 204 : 403;
  }

  /** Adds to {@code out} the headers that allow the preflight of {@code origin}. */
  void addPreflightHeaders(
      CharSequence origin,
      CharSequence requestHeaders,
      BiConsumer<CharSequence, CharSequence> out) {
    out.accept(ALLOW_ORIGIN, origin);
    out.accept(VARY, ORIGIN);
    out.accept(ALLOW_METHODS, METHODS);
    if (requestHeaders != null && requestHeaders.length() > 0) {
      out.accept(ALLOW_HEADERS, requestHeaders); // any header: metadata is the application's
    }
    out.accept(MAX_AGE, MAX_AGE_SECONDS);
  }

  /**
   * Adds to {@code out} the headers that let a page of {@code origin} read a response whose header
   * names are {@code names}.
   */
  void addResponseHeaders(
      CharSequence origin,
      Iterable<? extends CharSequence> names,
      BiConsumer<CharSequence, CharSequence> out) {
    Set<String> exposed = new LinkedHashSet<>(EXPOSED);
    for (CharSequence name : names) {
      String lower = name.toString().toLowerCase(Locale.ROOT);
      if (!lower.startsWith(":") && !NOT_EXPOSED.contains(lower)) {
        exposed.add(lower);
      }
    }
    out.accept(ALLOW_ORIGIN, origin);
    out.accept(VARY, ORIGIN);
    out.accept(EXPOSE_HEADERS, String.join(", ", exposed));
  }
}
