package io.tri4j.internal.call;

import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * Where a client's calls go and how by default.
 *
 * @param transport the streams to the server
 * @param defaultTimeout the timeout of calls that set none, or null for none
 * @param requestPumps threads that write requests from iterators for bidi calls
 * @param defaultCompression the compression of calls that set none, or null for none
 */
public record CallTarget(
    ClientTransport transport,
    Duration defaultTimeout,
    ExecutorService requestPumps,
    String defaultCompression) {}
