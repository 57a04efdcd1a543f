package io.tri4j;

import io.tri4j.internal.call.CallClock;
import io.tri4j.internal.call.CallExecutors;
import io.tri4j.internal.transport.ConnectionPool;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * What many {@link Client}s may share: network threads, connections pooled by address, and the
 * threads that run async callbacks and request iterators.
 *
 * <pre>{@code
 * try (ClientResources shared = ClientResources.create()) {
 *   Client greeter = new Client(ReferenceConfig.fromUrl("tri://10.0.0.5:50051/pkg.Greeter"), shared);
 *   Client stock = new Client(ReferenceConfig.fromUrl("tri://10.0.0.5:50051/pkg.Stock"), shared);
 *   // greeter and stock share one HTTP/2 connection and one set of threads
 * }
 * }</pre>
 *
 * <h2>Sharing</h2>
 *
 * Clients of the same address (and connect timeout) share one HTTP/2 connection, whatever their
 * service, version, group or size limits, which each call carries itself. A client that finds its
 * providers in a registry reaches each of them over the shared connections too, all on the same
 * network threads. A {@link Client} made without resources has its own: one network thread (one per
 * core with a registry) and its own executors, closed with it.
 *
 * <h2>Closing</h2>
 *
 * Closing a client releases its connections: a connection closes once no client uses it. {@link
 * #close()} closes every connection (calls still running get a few seconds, then fail with {@code
 * UNAVAILABLE}), stops the threads, and makes clients made with these resources fail new calls;
 * clients can no longer be made with them. TLS and keepalive settings of the connections will live
 * here too.
 */
public final class ClientResources implements AutoCloseable {
  private final ConnectionPool pool;
  private final ExecutorService ownBlocking;
  private final ExecutorService ownCallbacks;
  private final Executor blocking;
  private final Executor callbacks;

  private final CallClock clock;

  private ClientResources(int networkThreads, Executor executor, CallClock clock) {
    this.pool = new ConnectionPool(networkThreads, "tri4j-client-netty");
    this.clock = clock != null ? clock : pool.clock();
    this.ownBlocking = executor == null ? CallExecutors.newBlockingExecutor("tri4j-client") : null;
    this.ownCallbacks =
        executor == null ? CallExecutors.newCallbackExecutor("tri4j-client-callback") : null;
    this.blocking = executor != null ? executor : ownBlocking;
    this.callbacks = executor != null ? executor : ownCallbacks;
  }

  /**
   * Resources with one network thread per core, and executors of their own: a virtual thread per
   * task on JDK 21+; on JDK 17 a bounded pool for request iterators and a work-stealing pool of one
   * thread per core for callbacks.
   */
  public static ClientResources create() {
    return new ClientResources(Runtime.getRuntime().availableProcessors(), null, null);
  }

  /** The resources of one client made without shared ones (see {@link Client}). */
  static ClientResources forOneClient(int networkThreads, Executor executor) {
    return new ClientResources(networkThreads, executor, null);
  }

  /** As {@link #forOneClient(int, Executor)}, with deadlines on {@code clock}: for tests. */
  static ClientResources forOneClient(int networkThreads, Executor executor, CallClock clock) {
    return new ClientResources(networkThreads, executor, clock);
  }

  ConnectionPool pool() {
    return pool;
  }

  /** Runs request iterators of bidi calls and opens the streams of retries: work that blocks. */
  Executor blockingExecutor() {
    return blocking;
  }

  /** The clock of the calls' deadlines: the network threads time them. */
  CallClock clock() {
    return clock;
  }

  /** Runs the callbacks of async calls and of interceptors. */
  Executor callbackExecutor() {
    return callbacks;
  }

  /** How many connections (open or opening) the resources hold. */
  public int connectionCount() {
    return pool.size();
  }

  /** Closes every connection and stops the threads (see the class comment). Idempotent. */
  @Override
  public void close() {
    pool.close();
    if (ownBlocking != null) {
      ownBlocking.shutdownNow(); // interrupts request iterators still blocked
    }
    if (ownCallbacks != null) {
      ownCallbacks.shutdown(); // callbacks already queued (failures of open calls) still run
    }
  }

  @Override
  public String toString() {
    return "ClientResources[" + pool.size() + " connections]";
  }
}
