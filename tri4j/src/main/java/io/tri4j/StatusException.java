package io.tri4j;

/**
 * An unchecked exception that carries a {@link Status}, and the trailers that came with it.
 *
 * <p>On the client, every call style throws it when the call ends with a status other than {@code
 * OK}: the unary call itself, {@link ReadStream#read()}, the stream's iterator, and {@link
 * WriteStream#write} once the call has failed. On the server, a handler throws it to end the call
 * with its status (and its trailers, if any); any other exception ends the call with {@code
 * UNKNOWN} and a fixed description, its text going to the server's log only.
 */
public class StatusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Status status;
  private final transient Metadata trailers;

  /** An exception carrying {@code status} and no trailers. */
  public StatusException(Status status) {
    this(status, new Metadata());
  }

  /**
   * An exception carrying {@code status}, and the {@code trailers} to send (server) or that came
   * with it (client).
   */
  public StatusException(Status status, Metadata trailers) {
    super(status.toString(), status.cause());
    this.status = status;
    this.trailers = trailers;
  }

  /** The status of the failed call. */
  public Status getStatus() {
    return status;
  }

  /** The trailers received with the status (client), or to send with it (server). */
  public Metadata getTrailers() {
    return trailers;
  }
}
