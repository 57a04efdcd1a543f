package io.tri4j.internal.call;

import io.tri4j.Deserializer;
import io.tri4j.Metadata;
import io.tri4j.ReadResult;
import io.tri4j.Response;
import io.tri4j.Serializer;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.StreamingCall;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.WireMessage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One client call with the blocking API: serializes and writes requests with back-pressure, and
 * reads responses through {@link InboundMessages}. The four call styles are built from it in {@link
 * ClientCalls}.
 */
final class BlockingClientCall<Q, R> extends ClientCallCore<Q>
    implements StreamingCall<Q, R>, ClientStreamListener, InboundMessages.Control {

  private final InboundMessages<R> inbound;
  private final ReadyGate gate = new ReadyGate();
  private final boolean singleResponse;

  private volatile boolean doneWriting;
  private volatile Future<?> requestPump;
  private boolean singleResponseRead;

  private static final VarHandle HEADERS;
  private static final VarHandle TRAILERS;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      HEADERS = lookup.findVarHandle(BlockingClientCall.class, "headers", Object.class);
      TRAILERS = lookup.findVarHandle(BlockingClientCall.class, "trailers", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * The response headers: null until they come, then their {@link Metadata} (empty if none will). A
   * thread that asks for them before they come leaves a {@code CompletableFuture} here to wait on;
   * most calls have none asking early, and so make no future.
   */
  private volatile Object headers;

  /** As {@link #headers}, for the trailers. */
  private volatile Object trailers;

  BlockingClientCall(
      ClientStream stream,
      Serializer<Q> serializer,
      Deserializer<R> deserializer,
      boolean singleResponse,
      Compression compression,
      TransportStats stats) {
    super(serializer, compression);
    this.stream = stream;
    this.inbound = new InboundMessages<>(deserializer, this, singleResponse, stats);
    this.singleResponse = singleResponse;
  }

  void start() {
    stream.start(this);
    inbound.start();
  }

  // ---- writing ----

  @Override
  public void write(Q message) {
    if (doneWriting) {
      throw new IllegalStateException("write() after doneWriting()");
    }
    send(message, false);
  }

  /**
   * Sends one request; with {@code last} it also half-closes.
   *
   * @return {@code false} if the call already ended with {@code OK} (nothing was sent)
   */
  boolean send(Q message, boolean last) {
    if (!gate.checkOpen()) {
      return false;
    }
    OutboundMessage bytes = serialize(message);
    if (!gate.await(stream::isReady, () -> cancel("Thread interrupted while writing"))) {
      return false;
    }
    if (last) {
      doneWriting = true;
    }
    stream.writeMessage(bytes, last);
    return true;
  }

  @Override
  public void doneWriting() {
    if (doneWriting) {
      return;
    }
    doneWriting = true;
    stream.halfClose();
  }

  /**
   * Writes every request from {@code requests}, then half-closes; stops early if the call ends. If
   * the iterator itself throws, the call is cancelled and the exception rethrown.
   */
  void writeAll(Iterator<? extends Q> requests) {
    while (true) {
      Q next;
      try {
        if (!requests.hasNext()) {
          break;
        }
        next = requests.next();
      } catch (RuntimeException | Error e) {
        cancel(Status.CANCELLED.withDescription("The request iterator failed: " + e).withCause(e));
        throw e;
      }
      if (!send(next, false)) {
        return;
      }
    }
    doneWriting();
  }

  void pumpRequestsWith(Future<?> pump) {
    this.requestPump = pump;
    if (inbound.endStatus() != null) {
      stopPump();
    }
  }

  // ---- reading ----

  @Override
  public R read() {
    if (!singleResponse) {
      return inbound.read();
    }
    synchronized (this) {
      if (singleResponseRead) {
        return inbound.read();
      }
      R response = readSingle();
      singleResponseRead = true;
      return response;
    }
  }

  @Override
  public ReadResult<R> read(Duration timeout) {
    if (!singleResponse) {
      return inbound.read(timeout);
    }
    try {
      if (!inbound.awaitSingleOutcome(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        return ReadResult.timeout();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel("Thread interrupted while reading");
      throw Status.CANCELLED.withDescription("Thread interrupted while reading").asException();
    }
    R response = read();
    return response == null ? ReadResult.endOfStream() : ReadResult.ofMessage(response);
  }

  /** The single response with its metadata, once the call has ended with {@code OK}. */
  Response<R> readSingleResponse() {
    R message = readSingle();
    return new Response<>(message, headers(), inbound.endTrailers());
  }

  R readSingle() {
    R response = inbound.read();
    R next = response == null ? null : inbound.read();
    try {
      return SingleMessage.response(SingleMessage.onlyResponse(response), next);
    } catch (StatusException e) {
      throw fail(e.getStatus());
    }
  }

  private StatusException fail(Status status) {
    cancel(status);
    return status.asException();
  }

  @Override
  public Iterator<R> iterator() {
    return singleResponse ? new SingleIterator() : inbound.iterator();
  }

  @Override
  public void close() {
    inbound.close();
  }

  @Override
  public Metadata headers() {
    return await(HEADERS);
  }

  @Override
  public Metadata trailers() {
    return await(TRAILERS);
  }

  /** The metadata in {@code slot} ({@link #HEADERS} or {@link #TRAILERS}), once it came. */
  @SuppressWarnings("unchecked") // only ever a CompletableFuture<Metadata> besides the metadata
  private Metadata await(VarHandle slot) {
    while (true) {
      Object now = slot.getVolatile(this);
      if (now instanceof Metadata metadata) {
        return metadata;
      }
      if (now == null) {
        CompletableFuture<Metadata> waiter = new CompletableFuture<>();
        if (!slot.compareAndSet(this, null, waiter)) {
          continue; // the metadata, or another thread's future, came first
        }
        now = waiter;
      }
      try {
        return ((CompletableFuture<Metadata>) now).get();
      } catch (InterruptedException e) {
        throw interrupted();
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
  }

  /** {@code metadata} came for {@code slot}, unless some did already; wakes whoever waits. */
  @SuppressWarnings("unchecked") // as in await
  private void arrive(VarHandle slot, Metadata metadata) {
    if (metadata == null) {
      metadata = new Metadata(); // null would look like none yet, and leave askers waiting
    }
    Object now;
    do {
      now = slot.getVolatile(this);
      if (now instanceof Metadata) {
        return; // only the first counts
      }
    } while (!slot.compareAndSet(this, now, metadata));
    if (now != null) {
      ((CompletableFuture<Metadata>) now).complete(metadata);
    }
  }

  private StatusException interrupted() {
    Thread.currentThread().interrupt();
    Status status = Status.CANCELLED.withDescription("Thread interrupted while waiting");
    cancel(status);
    return status.asException();
  }

  @Override
  public void cancel(String reason) {
    cancel(Status.CANCELLED.withDescription(reason));
  }

  @Override
  void cancel(Status status) {
    completeEmptyIfOpen(HEADERS);
    completeEmptyIfOpen(TRAILERS);
    if (inbound.abort(status)) {
      gate.end(status);
      stream.cancel(status);
      stopPump();
    }
  }

  // ---- InboundMessages.Control ----

  @Override
  public void request(int n) {
    stream.request(n);
  }

  @Override
  public void abandon(Status status) {
    gate.end(status);
    stream.cancel(status);
    stopPump();
  }

  // ---- ClientStreamListener (transport thread) ----

  @Override
  public void onHeaders(Metadata metadata) {
    arrive(HEADERS, metadata);
  }

  @Override
  public void onMessage(WireMessage message) {
    inbound.onMessage(message);
  }

  @Override
  public void onTrailers(Status status, Metadata metadata) {
    arrive(TRAILERS, metadata);
  }

  @Override
  public void onReady() {
    gate.signal();
  }

  @Override
  public void onClose(Status status, Metadata metadata, CloseOrigin origin) {
    completeEmptyIfOpen(HEADERS); // none came: the answer had trailers only
    arrive(TRAILERS, metadata);
    inbound.end(status, metadata);
    gate.end(status);
    stopPump(); // the call is over: a request iterator blocked in hasNext() is not needed
  }

  /** Fills {@code slot} with empty metadata unless some came already. */
  private void completeEmptyIfOpen(VarHandle slot) {
    if (!(slot.getVolatile(this) instanceof Metadata)) { // most often there: none made for nothing
      arrive(slot, new Metadata());
    }
  }

  private void stopPump() {
    Future<?> pump = requestPump;
    if (pump != null) {
      pump.cancel(true);
    }
  }

  private final class SingleIterator implements Iterator<R> {
    private R next;
    private boolean fetched;

    @Override
    public boolean hasNext() {
      if (!fetched) {
        next = read();
        fetched = true;
      }
      return next != null;
    }

    @Override
    public R next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      fetched = false;
      return next;
    }
  }
}
