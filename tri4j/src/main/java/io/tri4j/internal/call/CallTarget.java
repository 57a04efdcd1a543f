package io.tri4j.internal.call;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Where a client's calls go and how by default.
 *
 * @param transport the streams to the server
 * @param defaultTimeout the timeout of calls that set none, or null for none
 * @param executor threads that write requests from iterators for bidi calls (work that blocks)
 * @param callbackExecutor threads that run the callbacks of async calls
 * @param defaultCompression the compression of calls that set none, or null for none
 */
public record CallTarget(
    ClientTransport transport,
    Duration defaultTimeout,
    Executor executor,
    Executor callbackExecutor,
    String defaultCompression) {}
