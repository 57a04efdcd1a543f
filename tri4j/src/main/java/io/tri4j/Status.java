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
    /** Not an error: the call succeeded. */
    OK(0),
    /** The call was cancelled, usually by the caller. */
    CANCELLED(1),
    /** An error with no better code, such as an exception from a handler. */
    UNKNOWN(2),
    /** The request is wrong whatever the state of the system. */
    INVALID_ARGUMENT(3),
    /** The deadline passed before the call ended. */
    DEADLINE_EXCEEDED(4),
    /** Something the request names does not exist. */
    NOT_FOUND(5),
    /** Something the request would create exists already. */
    ALREADY_EXISTS(6),
    /** The caller may not do this. */
    PERMISSION_DENIED(7),
    /** A limit was reached, such as the message size or a quota. */
    RESOURCE_EXHAUSTED(8),
    /** The system is not in the state the request needs. */
    FAILED_PRECONDITION(9),
    /** The operation was aborted, such as by a concurrency conflict. */
    ABORTED(10),
    /** The request goes past a valid range. */
    OUT_OF_RANGE(11),
    /** The service or method is not served here. */
    UNIMPLEMENTED(12),
    /** An invariant of the system is broken. */
    INTERNAL(13),
    /** The service cannot be reached now; trying again may succeed. */
    UNAVAILABLE(14),
    /** Data was lost or corrupted. */
    DATA_LOSS(15),
    /** The request has no valid credentials. */
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

  /** Code {@link Code#OK}, no description. */
  public static final Status OK = Code.OK.toStatus();

  /** Code {@link Code#CANCELLED}, no description. */
  public static final Status CANCELLED = Code.CANCELLED.toStatus();

  /** Code {@link Code#UNKNOWN}, no description. */
  public static final Status UNKNOWN = Code.UNKNOWN.toStatus();

  /** Code {@link Code#INVALID_ARGUMENT}, no description. */
  public static final Status INVALID_ARGUMENT = Code.INVALID_ARGUMENT.toStatus();

  /** Code {@link Code#DEADLINE_EXCEEDED}, no description. */
  public static final Status DEADLINE_EXCEEDED = Code.DEADLINE_EXCEEDED.toStatus();

  /** Code {@link Code#NOT_FOUND}, no description. */
  public static final Status NOT_FOUND = Code.NOT_FOUND.toStatus();

  /** Code {@link Code#ALREADY_EXISTS}, no description. */
  public static final Status ALREADY_EXISTS = Code.ALREADY_EXISTS.toStatus();

  /** Code {@link Code#PERMISSION_DENIED}, no description. */
  public static final Status PERMISSION_DENIED = Code.PERMISSION_DENIED.toStatus();

  /** Code {@link Code#RESOURCE_EXHAUSTED}, no description. */
  public static final Status RESOURCE_EXHAUSTED = Code.RESOURCE_EXHAUSTED.toStatus();

  /** Code {@link Code#FAILED_PRECONDITION}, no description. */
  public static final Status FAILED_PRECONDITION = Code.FAILED_PRECONDITION.toStatus();

  /** Code {@link Code#ABORTED}, no description. */
  public static final Status ABORTED = Code.ABORTED.toStatus();

  /** Code {@link Code#OUT_OF_RANGE}, no description. */
  public static final Status OUT_OF_RANGE = Code.OUT_OF_RANGE.toStatus();

  /** Code {@link Code#UNIMPLEMENTED}, no description. */
  public static final Status UNIMPLEMENTED = Code.UNIMPLEMENTED.toStatus();

  /** Code {@link Code#INTERNAL}, no description. */
  public static final Status INTERNAL = Code.INTERNAL.toStatus();

  /** Code {@link Code#UNAVAILABLE}, no description. */
  public static final Status UNAVAILABLE = Code.UNAVAILABLE.toStatus();

  /** Code {@link Code#DATA_LOSS}, no description. */
  public static final Status DATA_LOSS = Code.DATA_LOSS.toStatus();

  /** Code {@link Code#UNAUTHENTICATED}, no description. */
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

  /** The code. */
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

  /** Whether the code is {@code OK}. */
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
