package io.tri4j;

import java.util.Objects;

/**
 * The outcome of a call: one of the 17 gRPC status codes, an optional human-readable description
 * and an optional local cause.
 *
 * <p>A {@code Status} is immutable; {@link #withDescription} and {@link #withCause} return copies.
 * Only the code and the description cross the wire (as {@code grpc-status} and {@code
 * grpc-message}); the cause stays in the process that created it.
 *
 * <p>Server handlers choose the status of a failed call by throwing {@link #asException()}:
 *
 * <pre>{@code
 * throw Status.NOT_FOUND.withDescription("no user " + id).asException();
 * }</pre>
 */
public final class Status {

  /** The status codes of gRPC, with the numbers they have on the wire. */
  public enum Code {
    OK(0),
    CANCELLED(1),
    UNKNOWN(2),
    INVALID_ARGUMENT(3),
    DEADLINE_EXCEEDED(4),
    NOT_FOUND(5),
    ALREADY_EXISTS(6),
    PERMISSION_DENIED(7),
    RESOURCE_EXHAUSTED(8),
    FAILED_PRECONDITION(9),
    ABORTED(10),
    OUT_OF_RANGE(11),
    UNIMPLEMENTED(12),
    INTERNAL(13),
    UNAVAILABLE(14),
    DATA_LOSS(15),
    UNAUTHENTICATED(16);

    private static final Code[] BY_VALUE = values();

    private final int value;

    Code(int value) {
      this.value = value;
    }

    /** The number sent as {@code grpc-status}. */
    public int value() {
      return value;
    }

    /** The code for a wire number; numbers outside 0..16 are {@link #UNKNOWN}, as gRPC says. */
    public static Code fromValue(int value) {
      return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : UNKNOWN;
    }

    /** The status with this code and no description. */
    public Status toStatus() {
      return STATUSES[ordinal()];
    }
  }

  private static final Status[] STATUSES = new Status[Code.values().length];

  static {
    for (Code code : Code.values()) {
      STATUSES[code.ordinal()] = new Status(code, null, null);
    }
  }

  public static final Status OK = Code.OK.toStatus();
  public static final Status CANCELLED = Code.CANCELLED.toStatus();
  public static final Status UNKNOWN = Code.UNKNOWN.toStatus();
  public static final Status INVALID_ARGUMENT = Code.INVALID_ARGUMENT.toStatus();
  public static final Status DEADLINE_EXCEEDED = Code.DEADLINE_EXCEEDED.toStatus();
  public static final Status NOT_FOUND = Code.NOT_FOUND.toStatus();
  public static final Status ALREADY_EXISTS = Code.ALREADY_EXISTS.toStatus();
  public static final Status PERMISSION_DENIED = Code.PERMISSION_DENIED.toStatus();
  public static final Status RESOURCE_EXHAUSTED = Code.RESOURCE_EXHAUSTED.toStatus();
  public static final Status FAILED_PRECONDITION = Code.FAILED_PRECONDITION.toStatus();
  public static final Status ABORTED = Code.ABORTED.toStatus();
  public static final Status OUT_OF_RANGE = Code.OUT_OF_RANGE.toStatus();
  public static final Status UNIMPLEMENTED = Code.UNIMPLEMENTED.toStatus();
  public static final Status INTERNAL = Code.INTERNAL.toStatus();
  public static final Status UNAVAILABLE = Code.UNAVAILABLE.toStatus();
  public static final Status DATA_LOSS = Code.DATA_LOSS.toStatus();
  public static final Status UNAUTHENTICATED = Code.UNAUTHENTICATED.toStatus();

  private final Code code;
  private final String description;
  private final Throwable cause;

  private Status(Code code, String description, Throwable cause) {
    this.code = code;
    this.description = description;
    this.cause = cause;
  }

  /** The status with the given wire number and no description. */
  public static Status fromCodeValue(int value) {
    return Code.fromValue(value).toStatus();
  }

  /**
   * The status an exception stands for: the status of a {@link StatusException} (or of one among
   * its causes), or {@link #UNKNOWN} with the exception's message and the exception as cause. Meant
   * for local failures: a server does not send the description it makes to clients, since exception
   * messages may hold internal details; a handler's failure reaches its client as {@code UNKNOWN}
   * with a fixed description.
   */
  public static Status fromThrowable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StatusException) {
        return ((StatusException) c).getStatus();
      }
    }
    String message = t.getMessage();
    return UNKNOWN.withDescription(message != null ? message : t.getClass().getName()).withCause(t);
  }

  public Code code() {
    return code;
  }

  /** The description, or {@code null} if there is none. */
  public String description() {
    return description;
  }

  /** The local cause, or {@code null}; never sent to the peer. */
  public Throwable cause() {
    return cause;
  }

  public boolean isOk() {
    return code == Code.OK;
  }

  /** A copy with the given description (which may be {@code null}). */
  public Status withDescription(String description) {
    return Objects.equals(this.description, description)
        ? this
        : new Status(code, description, cause);
  }

  /** A copy with the given local cause (which may be {@code null}). */
  public Status withCause(Throwable cause) {
    return this.cause == cause ? this : new Status(code, description, cause);
  }

  /** An unchecked exception carrying this status, ready to be thrown. */
  public StatusException asException() {
    return new StatusException(this);
  }

  /** Equal code and description; the cause is not compared. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Status
        && code == ((Status) o).code
        && Objects.equals(description, ((Status) o).description);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, description);
  }

  /** {@code CODE} or {@code CODE: description}. */
  @Override
  public String toString() {
    return description == null ? code.name() : code.name() + ": " + description;
  }
}
