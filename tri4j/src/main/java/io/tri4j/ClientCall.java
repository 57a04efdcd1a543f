package io.tri4j;

import java.util.concurrent.CompletionStage;

/**
 * One client call as {@linkplain ClientInterceptor interceptors} see it: the request side is driven
 * through its methods, the response side arrives at its {@link Listener}. Every call style,
 * blocking and async, goes through the same calls and listeners, so an interceptor written once
 * sees them all.
 *
 * <h2>Order</h2>
 *
 * {@link #start} comes first, with the request headers; then any number of {@link #request}, {@link
 * #sendMessage} (each request message), one {@link #halfClose} when the client has no more to send,
 * and {@link #cancel} at any time. The listener hears {@link Listener#onHeaders} at most once,
 * before any message, then {@link Listener#onMessage} for each response message as requested, and
 * {@link Listener#onClose} last, exactly once.
 *
 * <h2>Threads</h2>
 *
 * The call's methods may be called from any thread, one at a time. Listener methods run one at a
 * time, in order, on the client's callback executor, never on a network thread; they must not block
 * for long.
 *
 * <h2>Flow control</h2>
 *
 * A response message is delivered only after it was {@linkplain #request requested}. {@link
 * #isReady()} tells whether a request message sent now would go out soon rather than be buffered;
 * {@link Listener#onReady()} says it may have become true. An interceptor that does not act on
 * these passes them on unchanged (as {@link ForwardingClientCall} does).
 */
public abstract class ClientCall<Q, R> {

  /** Where the response side of a call arrives. Every method does nothing by default. */
  public abstract static class Listener<R> {
    /** The response headers arrived (not for a call that ends with trailers only). */
    public void onHeaders(Metadata headers) {}

    /** One response message, as requested. */
    public void onMessage(R message) {}

    /** The call ended with {@code status}; {@code trailers} may be empty. Called exactly once. */
    public void onClose(Status status, Metadata trailers) {}

    /** {@link ClientCall#isReady()} may have become true. */
    public void onReady() {}
  }

  /**
   * Makes the next call of the chain: the next interceptor's, or the client's own. An interceptor
   * may pass changed options (a timeout, values, compression).
   */
  @FunctionalInterface
  public interface Factory<Q, R> {
    /** A call with {@code options}, through the interceptors after this one; not yet started. */
    ClientCall<Q, R> newCall(CallOptions options);
  }

  /** Starts the call: sends the request {@code headers}, and responses go to {@code listener}. */
  public abstract void start(Listener<R> listener, Metadata headers);

  /** Lets {@code n} more response messages be delivered to the listener. */
  public abstract void request(int n);

  /** Sends one request message. */
  public abstract void sendMessage(Q message);

  /** The client sends no more request messages. */
  public abstract void halfClose();

  /**
   * Ends the call with {@code CANCELLED} and {@code message}; the listener's {@code onClose}
   * follows. Does nothing once the call has ended.
   */
  public abstract void cancel(String message, Throwable cause);

  /** Whether a message sent now would go out soon, rather than wait behind flow control. */
  public boolean isReady() {
    return true;
  }

  /**
   * Whether the next request messages are compressed, when the call compresses (its options'
   * compression); on by default.
   */
  public void setMessageCompression(boolean enabled) {}

  /**
   * A call that starts once {@code call} is ready: what the client does meanwhile ({@code start},
   * {@code request}, messages, {@code halfClose}) is kept and replayed on it in order, without
   * holding a thread. If the stage fails, the call ends with the failure's status (a {@link
   * StatusException}'s, else {@code UNKNOWN}); if the call is cancelled first, it ends at once and
   * the call made later is never started. For an interceptor that must wait for something, such as
   * a credential:
   *
   * <pre>{@code
   * public <Q, R> ClientCall<Q, R> interceptCall(
   *     MethodInfo method, CallOptions options, ClientCall.Factory<Q, R> next) {
   *   return ClientCall.deferred(tokens.fetch().thenApply(token ->
   *       next.newCall(options.withHeaders(options.headers().put("authorization", token)))));
   * }
   * }</pre>
   */
  public static <Q, R> ClientCall<Q, R> deferred(CompletionStage<? extends ClientCall<Q, R>> call) {
    return new DeferredClientCall<>(call);
  }
}
