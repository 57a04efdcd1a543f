package io.tri4j;

/**
 * An unchecked exception that carries a {@link Status}.
 *
 * <p>On the client, every call style throws it when the call ends with a status other than {@code
 * OK}: the unary call itself, {@link ReadStream#read()}, the stream's iterator, and {@link
 * WriteStream#write} once the call has failed. On the server, a handler throws it to end the call
 * with its status; any other exception ends the call with {@code UNKNOWN}.
 */
public class StatusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Status status;

  public StatusException(Status status) {
    super(status.toString(), status.cause());
    this.status = status;
  }

  public Status getStatus() {
    return status;
  }
}
