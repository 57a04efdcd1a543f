package io.tri4j.internal.call;

import io.tri4j.Deserializer;
import io.tri4j.Metadata;
import io.tri4j.ReadResult;
import io.tri4j.ReadStream;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.codec.WireMessage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The blocking {@link ReadStream} over the messages of one stream. The transport thread {@linkplain
 * #onMessage adds} messages and {@linkplain #end ends} the stream; reader threads take them out,
 * decompress them if they came compressed, and deserialize them.
 *
 * <p>Demand is kept small: at most {@link #MAX_PREFETCH} messages, and fewer when messages are
 * large (about {@link #BYTE_BUDGET} bytes as received, that is compressed if they came compressed),
 * are requested ahead of the reader. Until the first message shows how large they are, {@link
 * #FIRST_PREFETCH}; a stream of one message (a unary response) asks for no more than that ever (the
 * one, and a second that would be the peer's mistake): every message asked for is one the peer may
 * send, up to the size limit, whether the reader takes it or not.
 */
public final class InboundMessages<T> implements ReadStream<T> {

  /** What the reader side asks of the call. */
  public interface Control {
    /** Fetch {@code n} more messages. */
    void request(int n);

    /**
     * The reader gave up on the call: it closed the stream before the end, could not decompress or
     * parse a message, or was interrupted.
     */
    void abandon(Status status);
  }

  static final int MAX_PREFETCH = 16;
  static final int FIRST_PREFETCH = 2;
  static final int BYTE_BUDGET = 1 << 20;

  private final Deserializer<T> deserializer;
  private final Control control;
  private final boolean singleMessage;
  private final TransportStats stats;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  // The messages queued, oldest first: the first in a field of its own (a unary call queues one
  // and needs no deque), the rest in a deque made for the second. Guarded by the lock.
  private WireMessage head;
  private ArrayDeque<WireMessage> rest;
  private volatile boolean lastTakenCompressed;
  private int queuedBytes;
  private int outstanding;
  private int averageSize; // of the messages received, from the first on
  private int received;
  private Status endStatus;
  private Metadata endTrailers; // null until an end brings trailers: empty
  private boolean closedByReader;

  private void enqueue(WireMessage message) {
    if (head == null) {
      head = message;
    } else {
      if (rest == null) {
        rest = new ArrayDeque<>();
      }
      rest.add(message);
    }
  }

  private WireMessage dequeue() {
    WireMessage message = head;
    head = rest == null ? null : rest.poll();
    return message;
  }

  private boolean queueEmpty() {
    return head == null;
  }

  private int queueSize() {
    return head == null ? 0 : 1 + (rest == null ? 0 : rest.size());
  }

  private void clearQueue() {
    head = null;
    if (rest != null) {
      rest.clear();
    }
  }

  /** {@code stats} counts the bytes of the messages queued. */
  public InboundMessages(Deserializer<T> deserializer, Control control, TransportStats stats) {
    this(deserializer, control, false, stats);
  }

  /**
   * With {@code singleMessage}, the stream is expected to carry one message, and a reader waiting
   * for it is woken when the stream ends (or when a second message, an error, arrives), not when
   * the first message arrives: the reader of a unary response wakes once per call, not twice.
   */
  InboundMessages(
      Deserializer<T> deserializer, Control control, boolean singleMessage, TransportStats stats) {
    this.deserializer = deserializer;
    this.control = control;
    this.singleMessage = singleMessage;
    this.stats = stats;
  }

  /** Makes the first request; call once the stream is started. */
  public void start() {
    lock.lock();
    try {
      refill();
    } finally {
      lock.unlock();
    }
  }

  /** A message arrived (transport thread). */
  public void onMessage(WireMessage message) {
    lock.lock();
    try {
      if (outstanding > 0) {
        outstanding--;
      }
      if (endStatus != null || closedByReader) {
        return;
      }
      int size = message.wireSize();
      enqueue(message);
      queuedBytes += size;
      stats.addBytesHeld(size);
      averageSize = received == 0 ? size : (averageSize * 3 + size) / 4;
      received++;
      if (!singleMessage || received > 1) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** As {@link #end(Status, Metadata)} with no trailers. */
  public boolean end(Status status) {
    return end(status, new Metadata());
  }

  /**
   * The stream ended with {@code status} and {@code trailers}; messages already queued are still
   * read first. Only the first end counts.
   *
   * @return whether this call ended the stream
   */
  public boolean end(Status status, Metadata trailers) {
    lock.lock();
    try {
      if (endStatus != null) {
        return false;
      }
      endStatus = status;
      endTrailers = trailers;
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends the stream with {@code status} and drops the queued messages, so that readers see the
   * status at once.
   *
   * @return whether this call ended the stream
   */
  public boolean abort(Status status) {
    lock.lock();
    try {
      if (endStatus != null && (!endStatus.isOk() || queueEmpty())) {
        return false;
      }
      endStatus = status;
      clearQueue();
      stats.addBytesHeld(-queuedBytes);
      queuedBytes = 0;
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the message most recently read arrived compressed. */
  public boolean lastReadCompressed() {
    return lastTakenCompressed;
  }

  /** The trailers the stream ended with (empty while open). */
  public Metadata endTrailers() {
    lock.lock();
    try {
      return endTrailersOrEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** The status the stream ended with, or {@code null} while it is open. */
  public Status endStatus() {
    lock.lock();
    try {
      return endStatus;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public T read() {
    WireMessage message;
    lock.lock();
    try {
      while (queueEmpty() && endStatus == null) {
        try {
          changed.await();
        } catch (InterruptedException e) {
          throw interrupted();
        }
      }
      message = takeOrEnd();
      if (message == null) {
        return null;
      }
    } finally {
      lock.unlock();
    }
    return deserialize(message);
  }

  @Override
  public ReadResult<T> read(Duration timeout) {
    WireMessage message;
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (queueEmpty() && endStatus == null) {
        if (nanos <= 0) {
          return ReadResult.timeout();
        }
        try {
          nanos = changed.awaitNanos(nanos);
        } catch (InterruptedException e) {
          throw interrupted();
        }
      }
      message = takeOrEnd();
      if (message == null) {
        return ReadResult.endOfStream();
      }
    } finally {
      lock.unlock();
    }
    return ReadResult.ofMessage(deserialize(message));
  }

  /**
   * For a single-message stream: waits up to {@code timeout} for what decides its outcome, the end
   * of the stream or a second message (an error), without taking messages.
   *
   * @return {@code false} on timeout
   */
  boolean awaitSingleOutcome(long timeout, TimeUnit unit) throws InterruptedException {
    lock.lock();
    try {
      long nanos = unit.toNanos(timeout);
      while (endStatus == null && received < 2) {
        if (nanos <= 0) {
          return false;
        }
        nanos = changed.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** With the lock held and something to report: the next message, or null at a clean end. */
  private WireMessage takeOrEnd() {
    WireMessage message = dequeue();
    if (message != null) {
      lastTakenCompressed = message.wasCompressed();
      queuedBytes -= message.wireSize();
      stats.addBytesHeld(-message.wireSize());
      refill();
      return message;
    }
    if (endStatus.isOk()) {
      return null;
    }
    throw new StatusException(endStatus, endTrailersOrEmpty());
  }

  /** With the lock held: the trailers of the end, or none if it brought none (or is not yet). */
  private Metadata endTrailersOrEmpty() {
    return endTrailers != null ? endTrailers : new Metadata();
  }

  /** With the lock held: asks for more messages when the reader is about to run dry. */
  private void refill() {
    if (endStatus != null || closedByReader) {
      return;
    }
    int target =
        singleMessage || received == 0
            ? FIRST_PREFETCH
            : Math.max(1, Math.min(MAX_PREFETCH, BYTE_BUDGET / Math.max(1, averageSize)));
    if (queuedBytes >= BYTE_BUDGET) {
      target = 0;
    }
    int have = outstanding + queueSize();
    if (have <= target / 2 && have < target) {
      int n = target - have;
      outstanding += n;
      control.request(n);
    }
  }

  /** On the reader's thread: decompresses (if need be) and deserializes one message. */
  private T deserialize(WireMessage message) {
    try {
      return CallFailures.decode(deserializer, message);
    } catch (StatusException e) {
      throw giveUp(e.getStatus());
    }
  }

  private StatusException interrupted() {
    Thread.currentThread().interrupt();
    return giveUp(Status.CANCELLED.withDescription("Thread interrupted while reading"));
  }

  /** The reader cannot go on: ends the stream with {@code status} and tells the call. */
  private StatusException giveUp(Status status) {
    abort(status);
    control.abandon(status);
    return status.asException();
  }

  @Override
  public Iterator<T> iterator() {
    return new ReadIterator<>(this);
  }

  @Override
  public void close() {
    Status status = Status.CANCELLED.withDescription("The reader closed the stream");
    boolean ended;
    lock.lock();
    try {
      closedByReader = true;
      ended = endStatus != null;
      clearQueue();
      stats.addBytesHeld(-queuedBytes);
      queuedBytes = 0;
      if (!ended) {
        endStatus = status;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (!ended) {
      control.abandon(status);
    }
  }
}
