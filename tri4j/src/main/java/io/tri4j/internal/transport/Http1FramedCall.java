package io.tri4j.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.tri4j.Metadata;
import io.tri4j.Status;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.call.ServerStreamListener;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.codec.MessageDeframer;
import io.tri4j.internal.codec.OutboundMessage;
import io.tri4j.internal.codec.WireMessage;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call over HTTP/1.1 whose request body, read whole before the call starts, holds its messages
 * framed (gRPC-Web's and Connect's bodies; a JSON request framed as one message): the body is
 * deframed as the handler asks for messages, and the call ends once its response is written. How
 * the response goes out is the subclass's.
 */
abstract class Http1FramedCall implements Http1Call, MessageDeframer.Listener {
  final ChannelHandlerContext ctx;
  final WriteQueue writeQueue;
  final boolean keepAlive;
  private final ByteBuffer requestBody;
  private final MessageDeframer deframer;
  private final CallLimit callLimit;
  private final Runnable onComplete;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  ServerStreamListener listener;

  // Event-loop state.
  private boolean bodyRead;
  private boolean completed;

  Http1FramedCall(
      ChannelHandlerContext ctx,
      WriteQueue writeQueue,
      ByteBuffer requestBody,
      Compression compression,
      int maxInboundMessageSize,
      TransportStats stats,
      boolean keepAlive,
      CallLimit callLimit,
      Runnable onComplete) {
    this.ctx = ctx;
    this.writeQueue = writeQueue;
    this.requestBody = requestBody;
    this.deframer = new MessageDeframer(this, maxInboundMessageSize, stats);
    deframer.setDecompression(compression);
    this.keepAlive = keepAlive;
    this.callLimit = callLimit;
    this.onComplete = onComplete;
  }

  /**
   * Event loop: ends the response with {@code status} and {@code trailers}, unless it has ended.
   */
  abstract void finish(Status status, Metadata trailers);

  // ---- ServerStream (any thread) ----

  @Override
  public void request(int n) {
    enqueue(() -> deliver(n));
  }

  @Override
  public void close(Status status, Metadata trailers) {
    Metadata given = trailers != null ? trailers : MetadataCodec.NO_TRAILERS;
    enqueue(() -> finish(status, given));
  }

  @Override
  public void cancel(Status status) {
    enqueue(() -> cancelNow(status));
  }

  @Override
  public boolean isReady() {
    return ctx.channel().isWritable() && !cancelled.get();
  }

  final void enqueue(Runnable command) {
    enqueue(command, () -> {});
  }

  final void enqueue(Runnable command, Runnable onRejected) {
    writeQueue.enqueue(
        command,
        () -> {
          onRejected.run();
          cancelled(Status.UNAVAILABLE.withDescription("The server has shut down"));
        });
  }

  /** Sends {@code message} framed, as one chunk of a chunked response; any thread. */
  final void writeFramed(OutboundMessage message) {
    ByteBuf framed = Frames.frame(message, writeQueue.alloc());
    enqueue(() -> sendFramed(framed), framed::release);
  }

  /** Event loop: writes the response's headers, once, before the first chunk. */
  void sendResponseHeaders() {}

  /** Event loop: a framed message as its chunk goes on the wire; as it is, unless overridden. */
  ByteBuf encode(ByteBuf framed) {
    return framed;
  }

  // ---- event loop ----

  private void sendFramed(ByteBuf framed) {
    if (completed) {
      framed.release();
      return;
    }
    sendResponseHeaders();
    ctx.write(new DefaultHttpContent(encode(framed)));
  }

  @Override
  public void cancelNow(Status status) {
    finish(status, new Metadata());
    cancelled(status);
  }

  @Override
  public void cancelled(Status status) {
    complete();
    if (cancelled.compareAndSet(false, true) && listener != null) {
      listener.onCancel(status);
    }
  }

  @Override
  public void onWritabilityChanged() {
    if (listener != null && ctx.channel().isWritable() && !completed) {
      listener.onReady();
    }
  }

  private void deliver(int n) {
    if (completed || listener == null) {
      return;
    }
    deframer.request(n);
    if (!bodyRead) {
      bodyRead = true;
      deframer.deframe(requestBody);
      deframer.closeWhenComplete();
    }
  }

  /** Whether the call is over, answered or cancelled. */
  final boolean isCompleted() {
    return completed;
  }

  /**
   * The call is over, answered or cancelled: it no longer counts against the server's limit.
   * Returns false if it already was.
   */
  final boolean complete() {
    if (completed) {
      return false;
    }
    completed = true;
    callLimit.release();
    deframer.close();
    return true;
  }

  /** After the response's last write: the connection takes the next request, or closes. */
  final ChannelFutureListener done() {
    return f -> {
      if (keepAlive && f.isSuccess()) {
        onComplete.run();
      } else {
        f.channel().close();
      }
    };
  }

  // ---- MessageDeframer.Listener (event loop) ----

  @Override
  public void messageRead(WireMessage message) {
    if (listener != null && !completed) {
      listener.onMessage(message);
    }
  }

  @Override
  public void bytesProcessed(int count) {
    // The body is read whole: no flow control to credit.
  }

  @Override
  public void endOfStream() {
    if (listener != null && !completed) {
      listener.onHalfClose();
    }
  }

  @Override
  public void deframeFailed(Status status) {
    cancelNow(status);
  }
}
