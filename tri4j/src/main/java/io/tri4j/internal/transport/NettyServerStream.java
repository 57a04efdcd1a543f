package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Stream;
import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.call.ServerStream;
import io.tri4j.internal.call.ServerStreamListener;
import io.tri4j.internal.codec.Base64Chunks;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.MessageDeframer;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.UnaryBody;
import io.tri4j.internal.codec.WireMessage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * One server HTTP/2 stream. Handler threads call the {@link ServerStream} methods, which become
 * commands on the connection's {@link WriteQueue}; called on the event loop (handlers on the
 * network threads) with nothing queued, they write at once. Everything else runs on the event loop.
 */
final class NettyServerStream
    implements ServerStream, NettyStream, MessageDeframer.Listener, WriteQueue.Task {
  private static final VarHandle CLOSE_HANDED_OVER;
  private static final VarHandle CLOSE_STATUS;
  private static final VarHandle REJECTED_ONCE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      CLOSE_HANDED_OVER =
          lookup.findVarHandle(NettyServerStream.class, "closeHandedOver", boolean.class);
      CLOSE_STATUS = lookup.findVarHandle(NettyServerStream.class, "closeStatus", Status.class);
      REJECTED_ONCE = lookup.findVarHandle(NettyServerStream.class, "rejectedOnce", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final NettyServerHandler handler;
  private final WriteQueue writeQueue;
  final Http2Stream http2Stream;
  private final MessageDeframer deframer;
  private final OutboundBuffer outbound;
  // One per stream, not per command, and made by the first command queued other than the stream
  // itself: a stream written on the event loop queues none. A race makes two alike, harmlessly.
  private Runnable onRejected;

  // A close handed over from a handler thread, done by the stream's next batch: the first closer
  // sets the flag, then the trailers, then publishes the status, which the batch takes.
  @SuppressWarnings("unused") // through CLOSE_HANDED_OVER
  private volatile boolean closeHandedOver;

  private Metadata closeTrailers;

  @SuppressWarnings("unused") // through CLOSE_STATUS
  private volatile Status closeStatus;

  /** Whether the call was told that a command was rejected (once, through REJECTED_ONCE). */
  private volatile boolean rejectedOnce;

  private volatile boolean closed;
  ServerStreamListener listener;

  // Event-loop state.
  boolean headersSent;
  private boolean completed;
  boolean json;
  GrpcWeb web; // null for gRPC
  private Base64Chunks text; // decodes a grpc-web-text request
  TripleJsonExchange tripleJson; // null unless Triple's unary JSON
  Http2ConnectResponse connect; // null unless Connect
  private UnaryBody unaryBody; // a Connect unary request, collected whole
  private boolean connectGet; // a Connect GET: its message came in the URL, and no body may follow
  private boolean unaryCompressed;

  NettyServerStream(
      NettyServerHandler handler,
      WriteQueue writeQueue,
      Http2Stream http2Stream,
      int maxInboundMessageSize) {
    this.handler = handler;
    this.writeQueue = writeQueue;
    this.http2Stream = http2Stream;
    // The server's statistics, which its handler carries.
    this.outbound = new OutboundBuffer(handler.stats);
    this.deframer = new MessageDeframer(this, maxInboundMessageSize, handler.stats);
  }

  // ---- ServerStream (any thread) ----

  @Override
  public void request(int n) {
    if (writeQueue.inEventLoop() && deframer.pendingBytes() == 0) {
      // Most often a call starting: asked before the request's DATA is read, the message is cut
      // out as it arrives instead of copied to wait. With nothing held, demand returns no credit,
      // so there is nothing to flush, and it need not wait behind this stream's queued writes.
      deframer.request(n);
    } else {
      enqueue(() -> deframer.request(n));
    }
  }

  @Override
  public void writeHeaders(Metadata headers, Compression compression) {
    if (writeQueue.canRunNow()) {
      handler.writeHeaders(this, headers, compression); // used now: no copy needed
      writeQueue.ranNow();
      return;
    }
    Metadata copy = new Metadata(headers);
    enqueue(() -> handler.writeHeaders(this, copy, compression));
  }

  @Override
  public void writeMessage(OutboundMessage message) {
    if (rejectedOnce) {
      return; // the connection is gone; the call was told
    }
    if (writeQueue.canRunNow() && outbound.isEmpty()) {
      ByteBuf data = Frames.frameDirect(message, writeQueue.alloc());
      int size = data.readableBytes();
      outbound.hold(size);
      handler.writeMessage(this, data, size, false);
      writeQueue.ranNow();
      return;
    }
    if (outbound.add(OutboundBuffer.framed(message, writeQueue.alloc()))) {
      writeQueue.enqueue(this);
    } else if (rejectedOnce) {
      rejected(); // rejected while this message was being added
    }
  }

  private Runnable rejectedCommand() {
    Runnable r = onRejected;
    if (r == null) {
      onRejected = r = this::rejected;
    }
    return r;
  }

  /**
   * Event loop, the stream queued as its own command: the messages handed over since the last
   * batch, in one write, then the close handed over after them, if any.
   */
  @Override
  public void run() {
    writeBatch();
  }

  private void writeBatch() {
    // The take comes first: it lets a close handed over after it schedule a batch of its own. A
    // close handed over already is this batch's, and the messages taken the stream's last.
    writeTaken(closeStatus != null);
    Status status = (Status) CLOSE_STATUS.getAndSet(this, null);
    if (status != null) {
      Metadata trailers = closeTrailers;
      closeTrailers = null;
      // Messages handed over before the close may have come after the take above: take them too,
      // so that none follows the trailers.
      writeTaken(true);
      handler.closeStream(this, status, trailers);
    }
  }

  /** Writes the messages handed over; {@code last} if the stream's end is written next. */
  private void writeTaken(boolean last) {
    ByteBuf data = outbound.take(writeQueue.alloc());
    if (data != null) {
      handler.writeMessage(this, data, data.readableBytes(), last);
    }
  }

  /** Serves the call in gRPC-Web's form ({@code web}), or gRPC's if null. */
  void setGrpcWeb(GrpcWeb web) {
    this.web = web;
    if (web != null && web.text) {
      text = new Base64Chunks();
    }
  }

  /**
   * Serves the call in the Connect protocol's form ({@code type}), unless it is null; a GET's
   * request is {@code getMessage}.
   */
  void setConnect(Connect type, byte[] getMessage, int maxInboundMessageSize) {
    if (type != null) {
      connect = new Http2ConnectResponse(type);
      if (getMessage != null) {
        unaryBody = UnaryBody.of(getMessage);
        connectGet = true;
      } else if (!type.streaming) {
        unaryBody = new UnaryBody(maxInboundMessageSize);
      }
    }
  }

  /**
   * Serves the call as Triple's unary JSON: the body is collected whole (never compressed: a bare
   * body has no frame to flag it), the reply held until the status is known.
   */
  void setTripleJson(int maxInboundMessageSize) {
    tripleJson = new TripleJsonExchange();
    unaryBody = new UnaryBody(maxInboundMessageSize);
    unaryCompressed = false;
  }

  void setDecompression(Compression compression) {
    deframer.setDecompression(compression);
    unaryCompressed = compression != null;
  }

  @Override
  public void close(Status status, Metadata trailers) {
    if (writeQueue.canRunNow()) {
      closeNow(status, trailers);
      writeQueue.ranNow();
      return;
    }
    // The batch already scheduled for this stream's last messages closes it too, if there is one:
    // a response and the close right after it cost one command.
    if (!CLOSE_HANDED_OVER.compareAndSet(this, false, true)) {
      return; // a close was handed over already: only the first counts
    }
    closeTrailers = trailers;
    closeStatus = status; // publishes the trailers with it
    if (outbound.scheduleTake()) {
      writeQueue.enqueue(this);
    }
  }

  private void closeNow(Status status, Metadata trailers) {
    if (closeStatus != null) {
      writeBatch(); // a close handed over earlier ends the stream first, after its messages
    }
    writeTaken(true); // nothing still pending may follow the trailers
    handler.closeStream(this, status, trailers);
  }

  @Override
  public void cancel(Status status) {
    if (writeQueue.canRunNow()) {
      cancelNow(status);
      writeQueue.ranNow();
      return;
    }
    enqueue(() -> cancelNow(status));
  }

  private void cancelNow(Status status) {
    writeBatch(); // as close: nothing still pending may follow the trailers
    handler.cancelStream(this, status);
  }

  @Override
  public boolean isReady() {
    return !closed && outbound.isReady();
  }

  private void enqueue(Runnable command) {
    writeQueue.enqueue(command, rejectedCommand());
  }

  /** A command could not run: the event loop has shut down, and the connection with it. */
  @Override
  public void rejected() {
    closed = true;
    outbound.releaseAll();
    if (REJECTED_ONCE.compareAndSet(this, false, true) && listener != null) {
      listener.onCancel(Status.UNAVAILABLE.withDescription("The server has shut down"));
    }
  }

  // ---- event loop ----

  @Override
  public void onSent(int size) {
    if (outbound.onSent(size) && !closed && listener != null) {
      listener.onReady();
    }
  }

  /**
   * The stream's last bytes were sent with its end, or dropped as it ended: counted as {@link
   * #onSent} counts them, but no one is told the stream is ready, as nothing more is written to it.
   */
  void onLastSent(int size) {
    outbound.onSent(size);
  }

  @Override
  public void onData(ByteBuf data, boolean endOfStream) {
    if (text != null) {
      onText(data, endOfStream);
      return;
    }
    if (unaryBody != null) {
      onUnaryBody(data, endOfStream);
      return;
    }
    handler.deframe(data, deframer);
    if (endOfStream) {
      deframer.closeWhenComplete();
    }
  }

  /** A grpc-web-text request's body: base64, decoded before it is deframed. */
  private void onText(ByteBuf data, boolean endOfStream) {
    int encoded = data.readableBytes();
    if (completed) {
      handler.consumeBytes(http2Stream, encoded); // not read: credited back at once
      return;
    }
    int heldBefore = text.buffered();
    ByteBuffer decoded;
    try {
      decoded = text.decode(data.nioBuffer());
      if (endOfStream) {
        text.finish();
      }
    } catch (IllegalArgumentException e) {
      handler.consumeBytes(http2Stream, encoded + heldBefore);
      deframeFailed(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
      return;
    }
    // The deframer credits the decoded bytes back to flow control; the characters of the groups
    // decoded are credited here, less those bytes. A group still open is credited when it closes.
    handler.consumeBytes(
        http2Stream, encoded - (text.buffered() - heldBefore) - decoded.remaining());
    if (decoded.hasRemaining()) {
      deframer.deframe(decoded);
    }
    if (endOfStream) {
      deframer.closeWhenComplete();
    }
  }

  /**
   * A Connect unary or Triple JSON request's body: the bare message, framed once it is whole. Its
   * bytes are credited to flow control as they come, since the limit bounds what is held.
   */
  private void onUnaryBody(ByteBuf data, boolean endOfStream) {
    handler.consumeBytes(http2Stream, data.readableBytes());
    if (completed) {
      return;
    }
    if (connectGet && data.isReadable()) {
      // Else its bytes would join the message from the URL, without a limit.
      deframeFailed(
          Status.INVALID_ARGUMENT.withDescription(
              "A Connect GET request carries its message in the URL and may have no body"));
      return;
    }
    if (!unaryBody.add(data.nioBuffer())) {
      deframeFailed(
          Status.RESOURCE_EXHAUSTED.withDescription(
              "Request body is larger than the limit of " + unaryBody.maxSize() + " bytes"));
      return;
    }
    if (endOfStream) {
      deframer.deframe(unaryBody.framed(unaryCompressed));
      deframer.closeWhenComplete();
    }
  }

  /** Marks the call as closed by the server; returns false if it already was. */
  boolean complete() {
    if (completed) {
      return false;
    }
    completed = true;
    closed = true;
    deframer.close();
    return true;
  }

  boolean isCompleted() {
    return completed;
  }

  /** The stream ended without the server closing it: the client cancelled or went away. */
  void transportClosed(Status status) {
    if (connect != null) {
      connect.release(this); // a unary response held, never to be sent
    }
    if (complete() && listener != null) {
      listener.onCancel(status);
    }
  }

  // ---- MessageDeframer.Listener (event loop) ----

  @Override
  public void messageRead(WireMessage message) {
    if (listener != null) {
      listener.onMessage(message);
    }
  }

  @Override
  public void bytesProcessed(int count) {
    if (unaryBody == null) { // an unframed body was credited as it came
      handler.consumeBytes(http2Stream, count);
    }
  }

  @Override
  public void endOfStream() {
    if (listener != null && !completed) {
      listener.onHalfClose();
    }
  }

  @Override
  public void deframeFailed(Status status) {
    // The call cannot go on: answer the client, and fail the handler's reads and writes.
    handler.closeStream(this, status, new Metadata());
    if (listener != null) {
      listener.onCancel(status);
    }
  }
}
