package io.tri4j.internal.call;

import io.tri4j.Deserializer;
import io.tri4j.Serializer;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The status a call ends with when a piece of user code it runs fails. */
final class CallFailures {
  private static final Logger log = LoggerFactory.getLogger(CallFailures.class);

  private CallFailures() {}

  /**
   * Decompresses one received message if it came compressed, and deserializes it, on the calling
   * thread (never the network thread, unless handlers were asked to run there).
   *
   * @throws StatusException RESOURCE_EXHAUSTED if it inflates past the size limit, INTERNAL if its
   *     compressed data is corrupt, else {@link #parseFailure}'s status
   */
  @SuppressWarnings("unchecked")
  static <T> T decode(Deserializer<T> deserializer, WireMessage message) {
    Object decoded = message.decoded();
    if (decoded != null) {
      return (T) decoded;
    }
    try {
      return deserializer.deserialize(message.bytes());
    } catch (Exception | LinkageError e) {
      throw parseFailure(e).asException();
    }
  }

  /**
   * A deserializer's failure: the status it chose, if it threw a {@link StatusException} (a JSON
   * request that does not parse is the client's mistake: INVALID_ARGUMENT), else INTERNAL, whose
   * description names the failure and not the exception: on a server the status goes to the client,
   * and a deserializer's message is the server's business. The exception is the status's cause (a
   * client's caller finds it there) and goes to the log at DEBUG (on a server, a request that does
   * not parse is the client's doing).
   */
  static Status parseFailure(Throwable e) {
    if (e instanceof StatusException se) {
      return se.getStatus();
    }
    log.debug("A received message did not parse", e);
    return Status.INTERNAL.withDescription("Failed to parse a received message").withCause(e);
  }

  /**
   * Serializes one request (compressed if {@code compression} is not null); if the serializer
   * fails, the call is ended with INTERNAL through {@code cancel}, and that status is thrown.
   */
  static <T> OutboundMessage serializeRequest(
      Serializer<T> serializer,
      T message,
      Compression compression,
      java.util.function.Consumer<Status> cancel) {
    try {
      return OutboundMessage.serialize(serializer, message, compression);
    } catch (Exception | LinkageError e) {
      Status status = serializeFailure(e, "a request");
      cancel.accept(status);
      throw status.asException();
    }
  }

  /** A serializer's failure ({@code what}: "a request", "a response"): always INTERNAL. */
  static Status serializeFailure(Throwable e, String what) {
    return Status.INTERNAL.withDescription("Failed to serialize " + what + ": " + e).withCause(e);
  }

  /**
   * The status of a {@link StatusException}, else {@code otherwise} described as {@code what}
   * followed by the exception, with the exception as cause.
   */
  static Status statusOr(Throwable e, Status otherwise, String what) {
    return e instanceof StatusException se
        ? se.getStatus()
        : otherwise.withDescription(what + ": " + e).withCause(e);
  }
}
