package io.tri4j.internal.call;

import io.tri4j.ReadResult;
import io.tri4j.ReadStream;
import io.tri4j.ServerContext;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.WriteStream;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.codec.WireMessage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One server call with the blocking API: runs the handler on the executor, feeds it the requests,
 * and writes its responses with back-pressure.
 *
 * <p>A handler of a method whose client sends one request starts once that request and the client's
 * half-close have arrived, so it never waits for them: the call itself is then the handler's {@link
 * ReadStream}, which holds that one request until the handler reads it. A handler of a
 * client-streaming method starts at once and reads through {@link InboundMessages}, which fetches
 * the requests ahead of it and lets it wait for them.
 */
final class BlockingServerCall<Q, R> extends ServerCallBase<Q, R>
    implements InboundMessages.Control, WriteStream<R>, ReadStream<Q> {
  private static final VarHandle HELD;

  static {
    try {
      HELD = MethodHandles.lookup().findVarHandle(BlockingServerCall.class, "held", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** What {@link #held} is once the handler has read the request, or closed its stream. */
  private static final Object READ = new Object();

  /** What {@link #held} is once the request was dropped unread: the call ended. */
  private static final Object DROPPED = new Object();

  private final InboundMessages<Q> inbound; // of a client-streaming method; null otherwise
  private final TransportStats stats;
  private final ReadyGate gate = new ReadyGate();
  private volatile boolean handlerStarted;

  /**
   * Of a single-request method: null until the request arrives, then that {@link WireMessage}
   * (counted as held in {@link #stats}) until the handler reads it or closes its stream ({@link
   * #READ}), or the call ends without it ({@link #DROPPED}). Each leaves the message state once, by
   * exchange, so it is uncounted once.
   */
  private volatile Object held; // changed through HELD

  BlockingServerCall(
      ServerStream stream,
      ServerMethod<Q, R> method,
      Executor executor,
      IncomingCall incoming,
      String service,
      String methodName,
      io.tri4j.ServerCall<Q, R> intercepted,
      ShutdownNotice shutdown,
      TransportStats stats) {
    super(stream, method, executor, incoming, service, methodName, intercepted, shutdown);
    this.stats = stats;
    this.inbound =
        method.type.clientStreaming()
            ? new InboundMessages<>(requestDeserializer, this, stats)
            : null;
  }

  @Override
  void start() {
    if (inbound == null) {
      // Two, so that a second request (the client's mistake) arrives and ends the call, rather
      // than wait unread ahead of the half-close.
      stream.request(2);
      return;
    }
    inbound.start();
    dispatch();
  }

  private void dispatch() {
    try {
      executor.execute(this::run);
    } catch (RejectedExecutionException e) {
      close(refused(executor, e), null);
    }
  }

  private void run() {
    handlerStarted = true;
    ServerContext previous = ServerContexts.enter(this);
    try {
      method.handler.handle(inbound != null ? inbound : this, this);
      close(Status.OK, null);
    } catch (Throwable t) {
      fail(t);
    } finally {
      ServerContexts.exit(previous);
      if (inbound != null) {
        inbound.close();
      } else {
        dropRequest();
      }
    }
  }

  @Override
  void beforeClose(Status status) {
    gate.end(status); // before closed is set, so that a writer seeing closed finds the status
    if (!handlerStarted) {
      // no handler will read the requests already queued
      if (inbound != null) {
        inbound.abort(status);
      } else {
        dropRequest();
      }
    } else if (inbound != null) {
      // A handler may read on after its call ended (it called doneWriting, say): no request comes
      // any more, nor the client's half-close or reset, so its reads find the end (or the failure)
      // once it has read what is queued, instead of waiting for ever.
      inbound.end(status);
    }
  }

  // ---- WriteStream (handler thread) ----

  @Override
  public void write(R message) {
    if (closed) {
      gate.checkOpen(); // throws if the call was cancelled or failed
      throw new IllegalStateException("write() after doneWriting()");
    }
    io.tri4j.internal.codec.OutboundMessage bytes = serialize(message);
    if (!gate.await(stream::isReady, () -> {})) {
      throw new IllegalStateException("write() after doneWriting()");
    }
    send(bytes);
  }

  @Override
  public void doneWriting() {
    close(Status.OK, null);
  }

  // ---- ReadStream of a single-request method (handler thread) ----

  @Override
  public Q read() {
    while (true) {
      Object h = held;
      if (h == READ) {
        return null; // the one request was read: the stream ended
      }
      if (h == DROPPED || h == null) {
        // The call ended before the handler read the request (it is cancelled, say): the call's
        // status if it failed, else the end of the stream.
        gate.checkOpen();
        return null;
      }
      if (HELD.compareAndSet(this, h, READ)) {
        WireMessage message = (WireMessage) h;
        stats.addBytesHeld(-message.wireSize());
        return decode(message);
      }
    }
  }

  @Override
  public ReadResult<Q> read(Duration timeout) {
    Q request = read(); // never waits: the request is here before the handler starts
    return request == null ? ReadResult.endOfStream() : ReadResult.ofMessage(request);
  }

  @Override
  public Iterator<Q> iterator() {
    return new ReadIterator<>(this);
  }

  /** The handler is done with its requests: later reads find the end of the stream. */
  @Override
  public void close() {
    release(READ);
  }

  /**
   * Drops the request if it is still held unread; one that has not arrived yet will not be kept
   * either.
   */
  private void dropRequest() {
    release(DROPPED);
  }

  /**
   * Lets go of the request (uncounting it), if the handler has not read it: {@code held} is then
   * {@code end}.
   */
  private void release(Object end) {
    Object h;
    do {
      h = held;
      if (h == READ || h == DROPPED) {
        return;
      }
    } while (!HELD.compareAndSet(this, h, end));
    if (h != null) {
      stats.addBytesHeld(-((WireMessage) h).wireSize());
    }
  }

  // ---- InboundMessages.Control (request(n) is the core's) ----

  @Override
  public void abandon(Status status) {
    // The handler stopped reading; its outcome (return or exception) closes the call. Until then,
    // take whatever the client still sends and drop it, so its flow-control credit comes back.
    stream.request(Integer.MAX_VALUE);
  }

  // ---- ServerStreamListener (transport thread) ----

  @Override
  public void onMessage(WireMessage message) {
    if (inbound != null) {
      inbound.onMessage(message);
      return;
    }
    stats.addBytesHeld(message.wireSize()); // before it can be read and uncounted
    if (HELD.compareAndSet(this, null, message)) {
      return;
    }
    stats.addBytesHeld(-message.wireSize()); // not kept
    if (held instanceof WireMessage) {
      try {
        SingleMessage.request(held, message, method.type);
      } catch (StatusException e) {
        close(e.getStatus(), null);
      }
    } // else the call ended and dropped what it held: so is this one
  }

  @Override
  public void onHalfClose() {
    if (inbound != null) {
      inbound.end(Status.OK);
      return;
    }
    if (closed) {
      return;
    }
    try {
      SingleMessage.onlyRequest(held, method.type);
    } catch (StatusException e) {
      close(e.getStatus(), null);
      return;
    }
    dispatch();
  }

  @Override
  public void onReady() {
    gate.signal();
  }

  @Override
  void cancelled(Status status) {
    gate.end(status);
    if (inbound != null) {
      inbound.abort(status);
    } else {
      dropRequest();
    }
  }

  @Override
  public boolean lastRequestCompressed() {
    return inbound != null ? inbound.lastReadCompressed() : super.lastRequestCompressed();
  }
}
