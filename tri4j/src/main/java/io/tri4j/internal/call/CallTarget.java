package io.tri4j.internal.call;

import io.tri4j.CallOptions;
import io.tri4j.ClientInterceptor;
import io.tri4j.internal.TransportStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Where a client's calls go and how by default.
 *
 * @param transport the streams to the server
 * @param defaultTimeout the timeout of calls that set none, or null for none
 * @param executor threads that write requests from iterators for bidi calls (work that blocks)
 * @param callbackExecutor threads that run the callbacks of async calls
 * @param defaultCompression the compression of calls that set none, or null for none
 * @param interceptors the client's interceptors, outermost first
 * @param clock the clock of the calls' deadlines
 * @param stats the client's statistics, which its calls add to
 */
public record CallTarget(
    ClientTransport transport,
    Duration defaultTimeout,
    Executor executor,
    Executor callbackExecutor,
    String defaultCompression,
    List<ClientInterceptor> interceptors,
    CallClock clock,
    TransportStats stats) {

  /** The interceptors of a call: the client's, then the call's own. */
  List<ClientInterceptor> interceptors(CallOptions options) {
    List<ClientInterceptor> own = options.interceptors();
    if (own.isEmpty()) {
      return interceptors;
    }
    if (interceptors.isEmpty()) {
      return own;
    }
    List<ClientInterceptor> all = new ArrayList<>(interceptors);
    all.addAll(own);
    return all;
  }
}
