package io.tri4j;

import io.tri4j.internal.call.ServerContexts;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * What a server handler can know and say about its call beyond the messages: the request headers,
 * the response headers and trailers, the deadline, and whether the call was cancelled.
 *
 * <p>Inside a handler, {@link #current()} returns the context of the call the thread is serving;
 * pass it explicitly to other threads.
 *
 * <pre>{@code
 * RpcMethodHandler.unary(request -> {
 *   ServerContext ctx = ServerContext.current();
 *   String id = ctx.requestHeaders().get("x-request-id");
 *   ctx.responseTrailers().put("x-handled-by", "tri4j");
 *   return reply;
 * }, ...);
 * }</pre>
 *
 * <h2>Cancellation</h2>
 *
 * A call is cancelled when the client cancels it, disconnects, or its deadline passes, or when the
 * server's shutdown grace period ends before it does. Then {@link #isCancelled()} is true, cancel
 * listeners run, and the handler's reads and writes throw a {@link StatusException} ({@code
 * CANCELLED}, {@code DEADLINE_EXCEEDED}, or {@code UNAVAILABLE} for a shutdown) instead of
 * blocking.
 *
 * <h2>Shutdown</h2>
 *
 * When the server begins a graceful {@link Server#shutdown()}, calls running may finish, within the
 * server's {@linkplain ServerOptions#withShutdownGracePeriod grace period}. A handler that would
 * run longer (a subscription streamed until the client leaves) hears it through {@link
 * #addShutdownListener} or {@link #isShuttingDown()}, and ends its call cleanly:
 *
 * <pre>{@code
 * ServerContext ctx = ServerContext.current();
 * ctx.addShutdownListener(subscription::close); // the loop below then ends, and the call with OK
 * for (Event e : subscription) {
 *   replies.write(e);
 * }
 * }</pre>
 */
public interface ServerContext {

  /**
   * The context of the call served by this thread.
   *
   * @throws IllegalStateException outside a handler
   */
  static ServerContext current() {
    ServerContext context = ServerContexts.current();
    if (context == null) {
      throw new IllegalStateException("Not inside a tri4j server handler");
    }
    return context;
  }

  /** The service's full name, as in the request path. */
  String service();

  /** The method's name. */
  String method();

  /** The request headers (reserved protocol headers left out). */
  Metadata requestHeaders();

  /**
   * The response headers to send: changes count until the first response message is written (or the
   * call ends).
   */
  Metadata responseHeaders();

  /** The trailers to send with the status: changes count until the call ends. */
  Metadata responseTrailers();

  /**
   * Time left before the call's deadline, if it has one: the client's ({@code grpc-timeout}), or
   * the server's cap ({@link ServerOptions#withMaxDeadline}) where that is sooner.
   */
  Optional<Duration> timeRemaining();

  /** Whether the call was cancelled (by the client, a disconnect, or its deadline). */
  boolean isCancelled();

  /**
   * Runs {@code listener} once when the call is cancelled (on another thread; at once if it already
   * was). Not run for calls that end normally.
   */
  void addCancelListener(Runnable listener);

  /** Whether the server has begun shutting down (see the class's section on shutdown). */
  boolean isShuttingDown();

  /**
   * Runs {@code listener} once when the server begins shutting down while this call runs (on
   * another thread; at once if it already has). Not run for a call that has ended, nor when the
   * call is cancelled rather than shut down.
   */
  void addShutdownListener(Runnable listener);

  /**
   * Compresses the responses of this call with {@code encoding} ({@code gzip}, {@code deflate}, or
   * {@code identity} for none) if the client accepts it ({@code grpc-accept-encoding}); takes
   * effect if called before the first response message. Overrides the service's default ({@link
   * ServiceConfig#withCompression}).
   *
   * @throws IllegalArgumentException if the encoding is not supported
   */
  void setCompression(String encoding);

  /** Whether the next response messages are compressed, when the call compresses; on by default. */
  void setMessageCompression(boolean enabled);

  /** Whether the request message most recently read arrived compressed. */
  boolean lastRequestCompressed();

  /** The {@code :authority} of the request, or null. */
  String authority();

  /** The client's address. */
  SocketAddress remoteAddress();

  /**
   * The client's verified certificate chain, if the call came over TLS and the client presented one
   * (see {@link ServerTls#withClientAuth}); empty otherwise.
   */
  Optional<PeerIdentity> peerIdentity();

  /**
   * The value an interceptor attached to this call under {@code key} ({@link ServerCall#setValue}),
   * or null.
   */
  <T> T value(CallKey<T> key);
}
