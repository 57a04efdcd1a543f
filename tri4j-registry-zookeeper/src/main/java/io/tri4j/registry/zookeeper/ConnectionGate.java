package io.tri4j.registry.zookeeper;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For a registry URL with {@code check=false} (Dubbo's name: start even if the registry is down):
 * until ZooKeeper first answers, registrations and subscriptions wait here, in order, so that no
 * caller blocks in Curator's retries. Once it answers they are done on the gate's own thread; once
 * all are done the gate stays open and lets later ones through at once, as with {@code check=true}.
 *
 * <p>An action that fails while the gate drains (ZooKeeper went away again, or refused) stays first
 * in line and is tried again at the next connection.
 */
final class ConnectionGate implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConnectionGate.class);

  private record Entry(Object key, Runnable action) {}

  private final String address;
  private final ScheduledExecutorService thread;

  // Guarded by this.
  private final Deque<Entry> waiting = new ArrayDeque<>();
  private boolean open;
  private boolean connected;
  private boolean closed;

  /**
   * Watches {@code client}'s connection; call before {@code client.start()} so that the first
   * connection is seen. Logs one warning if ZooKeeper has not answered after {@code connectMillis}.
   */
  ConnectionGate(CuratorFramework client, String address, int connectMillis) {
    this.address = address;
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "tri4j-zookeeper-gate");
              t.setDaemon(true);
              return t;
            });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    thread = executor;
    client.getConnectionStateListenable().addListener(this::stateChanged);
    thread.schedule(() -> warnIfWaiting(connectMillis), connectMillis, TimeUnit.MILLISECONDS);
  }

  private void warnIfWaiting(int connectMillis) {
    synchronized (this) {
      if (open || connected || closed) {
        return;
      }
    }
    log.warn(
        "ZooKeeper at {} has not answered within {} ms; starting anyway (check=false):"
            + " registrations and subscriptions will follow once it answers",
        address,
        connectMillis);
  }

  private void stateChanged(CuratorFramework c, ConnectionState state) {
    synchronized (this) {
      if (open || closed) {
        return;
      }
      connected = state.isConnected();
    }
    if (state == ConnectionState.CONNECTED || state == ConnectionState.RECONNECTED) {
      try {
        thread.execute(this::drain);
      } catch (RejectedExecutionException e) {
        // Closed meanwhile: nothing waits any more.
      }
    }
  }

  /**
   * Does the waiting actions in order while ZooKeeper answers; opens the gate once none is left.
   */
  private void drain() {
    while (true) {
      Entry next;
      synchronized (this) {
        if (closed || !connected) {
          return;
        }
        next = waiting.pollFirst();
        if (next == null) {
          open = true;
          thread.shutdown(); // not needed any more, nor is the warning
          return;
        }
      }
      try {
        next.action().run();
      } catch (RuntimeException e) {
        synchronized (this) {
          if (closed) {
            return; // the registry closed the client under it
          }
          waiting.addFirst(next);
        }
        log.warn(
            "ZooKeeper at {} answered, but: {}{}; trying again once it answers again",
            address,
            e.getMessage(),
            e.getCause() == null ? "" : " (" + e.getCause() + ")");
        return;
      }
    }
  }

  /**
   * Runs {@code action} now on the caller's thread if the gate is open; otherwise it waits under
   * {@code key} (see {@link #withdraw}; null for none) and runs on the gate's thread once ZooKeeper
   * answers.
   */
  void runOrWait(Object key, Runnable action) {
    synchronized (this) {
      if (!open) {
        if (!closed) {
          waiting.addLast(new Entry(key, action));
        }
        return;
      }
    }
    action.run();
  }

  /**
   * Takes back the last action waiting under {@code key}; false if there is none (the gate is open,
   * or the action has run or is running).
   */
  synchronized boolean withdraw(Object key) {
    Iterator<Entry> it = waiting.descendingIterator();
    while (it.hasNext()) {
      if (Objects.equals(it.next().key(), key)) {
        it.remove();
        return true;
      }
    }
    return false;
  }

  /**
   * Starts what {@code start} starts now if the gate is open, else once ZooKeeper answers; closing
   * the handle returned stops it, or keeps it from starting.
   */
  AutoCloseable start(Supplier<AutoCloseable> start) {
    Deferred deferred = new Deferred(start);
    runOrWait(deferred, deferred::start);
    return () -> {
      withdraw(deferred);
      deferred.close();
    };
  }

  /** What a {@link #start} started, once it has. */
  private static final class Deferred {
    private final Supplier<AutoCloseable> start;
    private AutoCloseable started;
    private boolean closed;

    Deferred(Supplier<AutoCloseable> start) {
      this.start = start;
    }

    synchronized void start() {
      if (!closed) {
        started = start.get();
      }
    }

    synchronized void close() throws Exception {
      closed = true;
      if (started != null) {
        started.close();
      }
    }
  }

  /** Drops what still waits; what has run stays (the registry's close undoes it). */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      waiting.clear();
    }
    thread.shutdownNow();
  }
}
