package io.tri4j.internal.call;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's notice that it is shutting down, given once and read by its calls. Only calls whose
 * handler asked to hear it are tracked here: the others pay one volatile read when they end.
 */
public final class ShutdownNotice {
  private static final Logger log = LoggerFactory.getLogger(ShutdownNotice.class);

  private volatile boolean given;
  private final List<Runnable> serverListeners = new ArrayList<>(); // guarded by this
  private final Set<ServerCallBase<?, ?>> listening = ConcurrentHashMap.newKeySet();

  /** Whether the notice was given. */
  public boolean isGiven() {
    return given;
  }

  /**
   * Runs {@code listener} once when the notice is given, on the thread that gives it; at once, on
   * this thread, if it was given already.
   */
  public void addListener(Runnable listener) {
    synchronized (this) {
      if (!given) {
        serverListeners.add(listener);
        return;
      }
    }
    run(listener);
  }

  /** Gives the notice, once: runs the server's listeners, then tells the calls that listen. */
  public void give() {
    List<Runnable> listeners;
    synchronized (this) {
      if (given) {
        return;
      }
      given = true;
      listeners = List.copyOf(serverListeners);
      serverListeners.clear();
    }
    listeners.forEach(ShutdownNotice::run);
    for (ServerCallBase<?, ?> call : listening) {
      call.shuttingDown();
    }
  }

  private static void run(Runnable listener) {
    try {
      listener.run();
    } catch (RuntimeException e) {
      // The shutdown goes on: one broken listener does not keep the others from hearing it.
      log.warn("A shutdown listener failed", e);
    }
  }

  void listen(ServerCallBase<?, ?> call) {
    listening.add(call);
  }

  void forget(ServerCallBase<?, ?> call) {
    listening.remove(call);
  }
}
