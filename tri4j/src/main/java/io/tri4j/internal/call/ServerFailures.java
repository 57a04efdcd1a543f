package io.tri4j.internal.call;

import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.StatusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client is told, and what the server's log gets, when server code (a handler, an
 * interceptor, a deferred listener) fails. A {@link StatusException} keeps its status and trailers.
 * Any other exception is logged at WARN, once, and the client sees {@code UNKNOWN} with {@link
 * #HANDLER_FAILED}: exception text and stack traces stay on the server. Code that was interrupted
 * (the server's {@code shutdownNow}), or whose call was cancelled, merely stopped: DEBUG.
 */
public final class ServerFailures {
  private static final Logger log = LoggerFactory.getLogger(ServerFailures.class);

  /** What a client is told when server code failed with an exception of its own. */
  public static final String HANDLER_FAILED =
      "The server failed to handle the call; the server's log has the details";

  /** What a client is told when the server could not serialize a response. */
  public static final String RESPONSE_NOT_SERIALIZED =
      "The server failed to serialize a response; the server's log has the details";

  /** The most characters of an exception's message that {@link #withExceptionDetails} sends. */
  static final int MAX_DETAIL_LENGTH = 1000;

  private ServerFailures() {}

  /**
   * {@code status} with the class and message of the exception behind it (never its stack trace) in
   * its description, if it is a failure of server code made here; any other status as it is.
   * Development only: it tells clients about the server's internals.
   */
  static Status withExceptionDetails(Status status) {
    Throwable t = status.cause();
    String description = status.description();
    if (t == null
        || !(HANDLER_FAILED.equals(description) || RESPONSE_NOT_SERIALIZED.equals(description))) {
      return status;
    }
    String message = t.getMessage();
    String detail = t.getClass().getName() + (message == null ? "" : ": " + message);
    if (detail.length() > MAX_DETAIL_LENGTH) {
      detail = detail.substring(0, MAX_DETAIL_LENGTH) + "...";
    }
    // "...; the server's log has the details" becomes "...: <the details>".
    return status.withDescription(
        description.substring(0, description.indexOf(';')) + ": " + detail);
  }

  /**
   * The status of a call to {@code path} whose response serializer threw {@code t}: INTERNAL, the
   * serializer's mistake, with {@code t} in the server's log (once, at WARN) and not in the
   * status's description.
   */
  public static Status responseNotSerialized(Throwable t, String path) {
    log.warn("Serializer of a response of {} failed", path, t);
    return Status.INTERNAL.withDescription(RESPONSE_NOT_SERIALIZED).withCause(t);
  }

  /**
   * The status a call to {@code path} ends with after its server code threw {@code t}; logs {@code
   * t} as it deserves.
   *
   * @param cancelled whether the call was cancelled already
   */
  public static Status status(Throwable t, String path, boolean cancelled) {
    StatusException e = statusException(t);
    if (e != null) {
      log.debug("Handler of {} ended with {}", path, e.getStatus());
      return e.getStatus();
    }
    if (cancelled || interrupted(t)) {
      log.debug("Handler of {} stopped: the call was cancelled", path, t);
      return Status.CANCELLED.withDescription("The server cancelled the call");
    }
    log.warn("Handler of {} failed", path, t);
    return Status.UNKNOWN.withDescription(HANDLER_FAILED).withCause(t);
  }

  /** The trailers that go with {@link #status}: a {@link StatusException}'s, else none. */
  public static Metadata trailers(Throwable t) {
    StatusException e = statusException(t);
    return e != null ? e.getTrailers() : new Metadata();
  }

  private static StatusException statusException(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StatusException e) {
        return e;
      }
    }
    return null;
  }

  private static boolean interrupted(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof InterruptedException) {
        return true;
      }
    }
    return Thread.currentThread().isInterrupted();
  }
}
