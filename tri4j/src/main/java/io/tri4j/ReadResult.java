package io.tri4j;

import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * What {@link ReadStream#read(java.time.Duration)} found: a message, nothing within the timeout, or
 * the end of the stream. It maps dubbo-python's three outcomes of {@code read(timeout=...)}: the
 * message, {@code None} ({@link Kind#TIMEOUT}) and {@code EOF} ({@link Kind#END_OF_STREAM}).
 *
 * <pre>{@code
 * ReadResult<GreeterReply> r = stream.read(Duration.ofMillis(500));
 * switch (r.kind()) {
 *   case MESSAGE -> System.out.println(r.message().getMessage());
 *   case TIMEOUT -> System.out.println("No message received");
 *   case END_OF_STREAM -> done = true;
 * }
 * }</pre>
 */
public final class ReadResult<T> {

  /** The three outcomes of a read with a timeout. */
  public enum Kind {
    /** A message arrived; {@link #message()} returns it. */
    MESSAGE,
    /** No message arrived within the timeout; the stream is still open. */
    TIMEOUT,
    /** The peer finished sending and every message has been read. */
    END_OF_STREAM
  }

  private static final ReadResult<?> TIMEOUT = new ReadResult<>(Kind.TIMEOUT, null);
  private static final ReadResult<?> END_OF_STREAM = new ReadResult<>(Kind.END_OF_STREAM, null);

  private final Kind kind;
  private final T message;

  private ReadResult(Kind kind, T message) {
    this.kind = kind;
    this.message = message;
  }

  /** A result holding {@code message}. */
  public static <T> ReadResult<T> ofMessage(T message) {
    return new ReadResult<>(Kind.MESSAGE, Objects.requireNonNull(message, "message"));
  }

  /** The result when no message arrived in time. */
  @SuppressWarnings("unchecked")
  public static <T> ReadResult<T> timeout() {
    return (ReadResult<T>) TIMEOUT;
  }

  /** The result at the end of the stream. */
  @SuppressWarnings("unchecked")
  public static <T> ReadResult<T> endOfStream() {
    return (ReadResult<T>) END_OF_STREAM;
  }

  /** Which of the three outcomes this is. */
  public Kind kind() {
    return kind;
  }

  /** Whether a message arrived: then {@link #message()} returns it. */
  public boolean isMessage() {
    return kind == Kind.MESSAGE;
  }

  /** Whether no message arrived in time ({@code None} in dubbo-python). */
  public boolean isTimeout() {
    return kind == Kind.TIMEOUT;
  }

  /** Whether the stream has ended ({@code EOF} in dubbo-python). */
  public boolean isEndOfStream() {
    return kind == Kind.END_OF_STREAM;
  }

  /**
   * The message.
   *
   * @throws NoSuchElementException if this result is a timeout or the end of the stream
   */
  public T message() {
    if (kind != Kind.MESSAGE) {
      throw new NoSuchElementException("no message: " + kind);
    }
    return message;
  }

  @Override
  public String toString() {
    return kind == Kind.MESSAGE ? "MESSAGE(" + message + ")" : kind.name();
  }
}
