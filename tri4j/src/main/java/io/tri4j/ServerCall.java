package io.tri4j;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One server call as {@linkplain ServerInterceptor interceptors} see it: the response side is
 * driven through its methods, the request side arrives at its {@link Listener}. Handlers of every
 * shape, blocking and async, sit behind the same calls and listeners.
 *
 * <h2>Order</h2>
 *
 * {@link #sendHeaders} at most once, before any message; any number of {@link #sendMessage}; {@link
 * #close} once, last (trailers-only if nothing was sent). The listener hears {@link
 * Listener#onMessage} for each request message as {@linkplain #request requested}, then {@link
 * Listener#onHalfClose} once the client has sent its last; or {@link Listener#onCancel} if the call
 * ends without {@link #close} (the client cancelled or went away, or the deadline passed). Nothing
 * follows {@code onCancel}.
 *
 * <h2>Threads</h2>
 *
 * The call's methods may be called from any thread, one at a time. Listener methods run one at a
 * time, in order, on the server's executor, never on a network thread.
 */
public abstract class ServerCall<Q, R> {

  /** Where the request side of a call arrives. Every method does nothing by default. */
  public abstract static class Listener<Q> {
    /** One request message, as requested. */
    public void onMessage(Q message) {}

    /** The client sends no more request messages. */
    public void onHalfClose() {}

    /** The call ended before the server closed it, with this status. Nothing follows. */
    public void onCancel(Status status) {}

    /** {@link ServerCall#isReady()} may have become true. */
    public void onReady() {}
  }

  /** Which method the call is for. */
  public abstract MethodInfo method();

  /** Lets {@code n} more request messages be delivered to the listener. */
  public abstract void request(int n);

  /** Sends the response headers; at most once, before any message. */
  public abstract void sendHeaders(Metadata headers);

  /** Sends one response message (after the headers, which go out first if not sent yet). */
  public abstract void sendMessage(R message);

  /** Ends the call with {@code status} and {@code trailers}. Later closes are ignored. */
  public abstract void close(Status status, Metadata trailers);

  /** Whether a message sent now would go out soon, rather than wait behind flow control. */
  public abstract boolean isReady();

  /** Whether the call was cancelled (by the client, a disconnect, or its deadline). */
  public abstract boolean isCancelled();

  /**
   * Compresses the responses with {@code encoding} ({@code gzip}, {@code deflate}, {@code
   * identity}) if the client accepts it; takes effect if called before the headers are sent.
   *
   * @throws IllegalArgumentException if the encoding is not supported
   */
  public abstract void setCompression(String encoding);

  /** Whether the next response messages are compressed, when the call compresses; on by default. */
  public void setMessageCompression(boolean enabled) {}

  /** Time left before the client's deadline, if it set one. */
  public abstract Optional<Duration> timeRemaining();

  /** The {@code :authority} of the request, or null. */
  public abstract String authority();

  /** The client's address. */
  public abstract SocketAddress remoteAddress();

  /**
   * The client's verified certificate chain, if the call came over TLS and the client presented
   * one: what an interceptor authorizes on ({@link PeerIdentity}). Empty otherwise.
   */
  public abstract Optional<PeerIdentity> peerIdentity();

  /**
   * Tells {@code tracer} the size of each message of this call on the wire from now on, both ways:
   * for an interceptor that counts bytes (metrics, an access log). A call that does not cross a
   * wire (a test's own) ignores it.
   */
  public void addStreamTracer(StreamTracer tracer) {}

  /**
   * When the server received the call's request headers, on the scale of {@link System#nanoTime()}:
   * where metrics time a call from (gRFC A66), so that the wait for a thread to run interceptors
   * and handler on counts too.
   */
  public abstract long startNanoTime();

  /** The value attached to this call under {@code key}, or null. */
  public abstract <T> T value(CallKey<T> key);

  /**
   * Attaches {@code value} to this call under {@code key}: later interceptors read it here, the
   * handler with {@link ServerContext#value}.
   */
  public abstract <T> void setValue(CallKey<T> key, T value);

  /**
   * A listener for an interceptor that must wait before the call goes on (an async credential
   * lookup, say), without holding a thread: events that arrive meanwhile are kept and passed to the
   * listener {@code next} completes with. If the stage fails, the call is closed with the failure's
   * status: a {@link StatusException}'s, else {@code UNKNOWN} without the exception's text, which
   * goes to the server's log.
   *
   * <pre>{@code
   * public <Q, R> ServerCall.Listener<Q> interceptCall(
   *     ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
   *   return ServerCall.deferred(call, users.lookUp(headers.get("authorization")).thenApply(user -> {
   *     call.setValue(USER, user);
   *     return next.startCall(call, headers);
   *   }));
   * }
   * }</pre>
   */
  public static <Q, R> Listener<Q> deferred(
      ServerCall<Q, R> call, CompletionStage<? extends Listener<Q>> next) {
    return new DeferredServerListener<>(call, next);
  }
}
