package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.call.ClientStream;
import io.tri4j.internal.call.ClientStreamListener;
import io.tri4j.internal.call.CloseOrigin;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.MessageDeframer;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.WireMessage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * One client HTTP/2 stream. Application threads call the {@link ClientStream} methods, which become
 * commands on the connection's {@link WriteQueue}; everything else runs on the event loop. A
 * gRPC-Web or Connect call differs only in how its response is read ({@link WebResponse}) and, for
 * a Connect unary call, in sending its message without a prefix.
 */
final class NettyClientStream
    implements ClientStream, NettyStream, MessageDeframer.Listener, WriteQueue.Task {
  private final NettyClientHandler handler;
  private final WriteQueue writeQueue;
  private final Http2Headers requestHeaders;
  private final MessageDeframer deframer;
  private final OutboundBuffer outbound;

  // Handed over by application threads for the next run.
  private static final VarHandle REQUESTED;
  private static final VarHandle LAST;
  private static final VarHandle LISTENER_CLOSED;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      REQUESTED = lookup.findVarHandle(NettyClientStream.class, "requested", int.class);
      LAST = lookup.findVarHandle(NettyClientStream.class, "last", Object.class);
      LISTENER_CLOSED =
          lookup.findVarHandle(NettyClientStream.class, "listenerClosed", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** {@link #last} for a half close without a last message. */
  private static final Object HALF_CLOSE = new Object();

  private volatile boolean started;
  private volatile int requested;

  /**
   * The last message (a buffer or a framed array) to go with END_STREAM, or {@link #HALF_CLOSE}.
   */
  private volatile Object last;

  /** Whether the listener was told of the close (once). */
  private volatile boolean listenerClosed;

  private volatile boolean closed;
  private ClientStreamListener listener;

  /** How a gRPC-Web or Connect response is read; null for gRPC, which this stream reads itself. */
  private final WebResponse web;

  /** Whether the request is one bare message (Connect unary), not gRPC frames. */
  private final boolean unframedRequest;

  /** The compression the request headers announce, for an unframed request. */
  private final Compression requestCompression;

  // Event-loop state.
  private boolean opened;
  Http2Stream http2Stream;
  int id = -1;
  private final ResponseHeaderReader responseHeaders = new ResponseHeaderReader();
  private Status trailerStatus;
  private Metadata trailers;

  NettyClientStream(
      NettyClientHandler handler,
      WriteQueue writeQueue,
      Http2Headers requestHeaders,
      int maxInboundMessageSize,
      TransportStats stats) {
    this(
        handler,
        writeQueue,
        requestHeaders,
        maxInboundMessageSize,
        stats,
        null,
        false,
        false,
        null);
  }

  /**
   * A stream of a gRPC-Web or Connect call ({@code web}), or of a gRPC call if it is null, of
   * {@code json} or protobuf messages, to a {@code unary} method or not, whose request headers
   * announce {@code compression}.
   */
  NettyClientStream(
      NettyClientHandler handler,
      WriteQueue writeQueue,
      Http2Headers requestHeaders,
      int maxInboundMessageSize,
      TransportStats stats,
      WebProtocol web,
      boolean json,
      boolean unary,
      Compression compression) {
    this.handler = handler;
    this.writeQueue = writeQueue;
    this.requestHeaders = requestHeaders;
    this.outbound = new OutboundBuffer(stats);
    this.deframer = new MessageDeframer(this, maxInboundMessageSize, stats);
    this.web = web == null ? null : web.newResponse(this, json, unary, maxInboundMessageSize);
    this.unframedRequest = web != null && web.unframedRequest(unary);
    this.requestCompression = compression;
  }

  // ---- ClientStream (any thread) ----

  @Override
  public void start(ClientStreamListener listener) {
    this.listener = listener;
    started = true;
    schedule();
  }

  @Override
  public void request(int n) {
    int before;
    int after;
    do { // saturating: demand past Integer.MAX_VALUE messages is as good as unbounded
      before = requested;
      after = (int) Math.min((long) before + n, Integer.MAX_VALUE);
    } while (!REQUESTED.compareAndSet(this, before, after));
    schedule();
  }

  @Override
  public void writeMessage(OutboundMessage message, boolean endOfStream) {
    Object framed =
        unframedRequest
            ? WebProtocol.unframed(message, requestCompression, writeQueue.alloc())
            : OutboundBuffer.framed(message, writeQueue.alloc());
    if (endOfStream) {
      // The last message carries END_STREAM itself, after whatever is still batched.
      if (!LAST.compareAndSet(this, null, framed)) {
        OutboundBuffer.release(framed);
        throw new IllegalStateException("The stream's end was already handed over");
      }
      outbound.hold(OutboundBuffer.size(framed));
      schedule();
      if (closed) {
        // Closed while this message was being handed over: no run may come to take it.
        OutboundBuffer.release(LAST.getAndSet(this, null));
        outbound.releaseAll();
      }
    } else if (outbound.add(framed)) {
      writeQueue.enqueue(this);
    } else if (closed) {
      outbound.releaseAll(); // closed while this message was being added
    }
  }

  @Override
  public void halfClose() {
    if (LAST.compareAndSet(this, null, HALF_CLOSE)) {
      schedule();
    } // else the last message, handed over and not yet written, ends the stream already
  }

  /** Has {@link #run} run for what was just handed over, unless a run is already due. */
  private void schedule() {
    if (outbound.scheduleTake()) {
      writeQueue.enqueue(this);
    }
  }

  /**
   * Event loop: what application threads handed over since the last run, in order: the stream
   * opened, the messages asked for, the messages batched, then the last message or the half close
   * with END_STREAM. A unary call's start, request and message are handed over in one run, the
   * stream itself queued as the command.
   */
  @Override
  public void run() {
    // The batch is taken first: anything handed over from then on schedules another run. The
    // last message is read next, and the batch taken once more, so that no message handed over
    // before the last one follows it.
    // What was taken is written (or released, on a stream that is closed) even if opening the
    // stream or a reader asking for messages fails.
    ByteBuf batch = outbound.take(writeQueue.alloc());
    Object end = LAST.getAndSet(this, null);
    try {
      if (started && !opened && !closed) { // a cancel that overtook the start: never opened
        opened = true;
        handler.createStream(this, requestHeaders);
      }
      int n = (int) REQUESTED.getAndSet(this, 0);
      if (n > 0) {
        deframer.request(n);
      }
    } finally {
      writeBatch(batch);
      if (end != null) {
        writeBatch(outbound.take(writeQueue.alloc()));
        if (end == HALF_CLOSE) {
          handler.writeData(this, Unpooled.EMPTY_BUFFER, true, 0);
        } else {
          int size = OutboundBuffer.size(end); // before direct() may release it
          handler.writeData(this, OutboundBuffer.direct(end, writeQueue.alloc()), true, size);
        }
      }
    }
  }

  /** Event loop: writes a batch of messages taken from the buffer, if there is one. */
  private void writeBatch(ByteBuf data) {
    if (data != null) {
      handler.writeData(this, data, false, data.readableBytes());
    }
  }

  @Override
  public void cancel(Status status) {
    writeQueue.enqueue(() -> handler.cancelStream(this, status), this::rejected);
  }

  @Override
  public boolean isReady() {
    return !closed && outbound.isReady();
  }

  /**
   * A command could not run because the event loop has shut down (the client is closed): end the
   * call now, from this thread, touching no event-loop state.
   */
  @Override
  public void rejected() {
    closed = true;
    outbound.releaseAll();
    OutboundBuffer.release(LAST.getAndSet(this, null));
    notifyClose(
        Status.UNAVAILABLE.withDescription("The client is closed"),
        new Metadata(),
        CloseOrigin.LOCAL);
  }

  private void notifyClose(Status status, Metadata trailers, CloseOrigin origin) {
    if (LISTENER_CLOSED.compareAndSet(this, false, true)) {
      listener.onClose(status, trailers, origin);
    }
  }

  /** Whether the trailers arrived (the server has ended the call). */
  boolean trailersReceived() {
    return trailerStatus != null;
  }

  /** Whether the call's end is known: {@link #transportClosed} would change nothing. */
  boolean ended() {
    return trailerStatus != null || closed;
  }

  // ---- event loop ----

  @Override
  public void onSent(int size) {
    if (outbound.onSent(size) && !closed) {
      listener.onReady();
    }
  }

  void onHeaders(Http2Headers headers, boolean endOfStream) {
    if (closed) {
      return;
    }
    if (web != null) {
      web.onHeaders(headers, endOfStream);
      return;
    }
    switch (responseHeaders.read(headers, endOfStream)) {
      case HEADERS ->
          headersRead(MetadataCodec.fromHeaders(headers), responseHeaders.decompression());
      case TRAILERS -> trailersRead(responseHeaders.status(), MetadataCodec.fromHeaders(headers));
      case MALFORMED -> failAndReset(responseHeaders.status());
      case INFORMATIONAL -> {}
    }
  }

  /** The response headers: messages follow, compressed with {@code decompression} if not null. */
  void headersRead(Metadata headers, Compression decompression) {
    deframer.setDecompression(decompression);
    listener.onHeaders(headers);
  }

  /** The call's end: the messages still buffered remain to be read. */
  void trailersRead(Status status, Metadata trailers) {
    trailerStatus = status;
    this.trailers = trailers;
    listener.onTrailers(trailerStatus, this.trailers);
    handler.resetIfStillSending(this);
    deframer.closeWhenComplete();
  }

  /** Message bytes, prefixes included, for the deframer; not kept after the call. */
  void deframe(ByteBuffer bytes) {
    deframer.deframe(bytes);
  }

  /**
   * {@code data} came before the response headers, in any protocol: with the status, content-type
   * and encoding unknown, nothing in it can be read (RFC 9113 8.1), so the call fails.
   */
  void dataBeforeHeaders(ByteBuf data) {
    consumed(data.readableBytes());
    failAndReset(Status.INTERNAL.withDescription("The server sent DATA before response headers"));
  }

  /** {@code count} bytes of DATA were used outside the deframer: their credit goes back. */
  void consumed(int count) {
    handler.consumeBytes(http2Stream, count);
  }

  @Override
  public void onData(ByteBuf data, boolean endOfStream) {
    if (closed) {
      handler.consumeBytes(http2Stream, data.readableBytes());
      return;
    }
    if (web != null) {
      web.onData(data, endOfStream);
      return;
    }
    if (!responseHeaders.headersReceived()) {
      dataBeforeHeaders(data);
      return;
    }
    handler.deframe(data, deframer);
    if (endOfStream && !closed) {
      failAndReset(Status.INTERNAL.withDescription("The server ended the stream without trailers"));
    }
  }

  /** The server reset the stream with {@code errorCode}. */
  void resetByServer(long errorCode) {
    Status status = Http2Errors.toStatus(errorCode, "The server reset the stream");
    if (errorCode == io.netty.handler.codec.http2.Http2Error.REFUSED_STREAM.code()) {
      transportClosed(status, CloseOrigin.REFUSED);
      return;
    }
    transportClosed(status, CloseOrigin.PEER);
  }

  /**
   * The HTTP/2 stream closed for a reason other than the trailers (reset, GOAWAY). After the
   * trailers, the messages still buffered remain to be read, so nothing changes.
   */
  void transportClosed(Status status, CloseOrigin origin) {
    if (trailerStatus == null) {
      closeWith(status, origin);
    }
  }

  /** Fails the call with {@code status} and resets the stream. */
  void failAndReset(Status status) {
    handler.cancelStream(this, status);
  }

  /** Ends the call with {@code status} now, dropping anything buffered. */
  void closeWith(Status status, CloseOrigin origin) {
    closeWith(status, new Metadata(), origin);
  }

  private void closeWith(Status status, Metadata trailers, CloseOrigin origin) {
    if (closed) {
      return;
    }
    closed = true;
    deframer.close();
    handler.streamDone(this);
    notifyClose(status, trailers, origin);
  }

  boolean isClosed() {
    return closed;
  }

  // ---- MessageDeframer.Listener (event loop) ----

  @Override
  public void messageRead(WireMessage message) {
    listener.onMessage(message);
  }

  @Override
  public void bytesProcessed(int count) {
    if (web == null) {
      handler.consumeBytes(http2Stream, count);
    } else {
      web.deframed(count);
    }
  }

  @Override
  public void endOfStream() {
    closeWith(trailerStatus, trailers, CloseOrigin.PEER);
  }

  @Override
  public void deframeFailed(Status status) {
    failAndReset(status);
  }
}
