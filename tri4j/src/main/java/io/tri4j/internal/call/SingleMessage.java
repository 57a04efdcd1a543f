package io.tri4j.internal.call;

import io.tri4j.MethodType;
import io.tri4j.Status;
import io.tri4j.StatusException;

/**
 * The rule of a side that sends exactly one message: the request of a unary or server-streaming
 * call, the response of a unary or client-streaming one. A second message, or none by the end, is
 * the peer's mistake and ends the call with {@code INTERNAL}. Every call class, client and server,
 * blocking and async, checks the rule here.
 */
final class SingleMessage {
  private SingleMessage() {}

  /**
   * The request of a {@code type} call that sends one, once {@code next} arrived after {@code kept}
   * (null if none did yet).
   *
   * @throws StatusException INTERNAL if a request arrived already
   */
  static <T> T request(T kept, T next, MethodType type) {
    if (kept != null) {
      throw tooMany("request for a " + type + " method");
    }
    return next;
  }

  /**
   * The one request of a {@code type} call, now that the client sent all it sends.
   *
   * @throws StatusException INTERNAL if it sent none
   */
  static <T> T onlyRequest(T kept, MethodType type) {
    if (kept == null) {
      throw none("request for a " + type + " method");
    }
    return kept;
  }

  /**
   * The response of a single-response call, once {@code next} arrived after {@code kept} (null if
   * none did yet).
   *
   * @throws StatusException INTERNAL if a response arrived already
   */
  static <T> T response(T kept, T next) {
    if (kept != null && next != null) {
      throw tooMany("response received for a single-response call");
    }
    return kept != null ? kept : next;
  }

  /**
   * The one response of a single-response call, now that the server sent all it sends.
   *
   * @throws StatusException INTERNAL if it sent none
   */
  static <T> T onlyResponse(T kept) {
    if (kept == null) {
      throw none("response received for a single-response call");
    }
    return kept;
  }

  private static StatusException tooMany(String what) {
    return Status.INTERNAL.withDescription("More than one " + what).asException();
  }

  private static StatusException none(String what) {
    return Status.INTERNAL.withDescription("No " + what).asException();
  }
}
