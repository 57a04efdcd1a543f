package io.tri4j.internal.transport;

import io.netty.channel.EventLoopGroup;
import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.ReferenceConfig;
import io.tri4j.Status;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.call.CallClock;
import io.tri4j.internal.call.ClientStream;
import io.tri4j.internal.call.ClientTransport;
import io.tri4j.internal.call.Deadline;
import io.tri4j.internal.call.FailedClientStream;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.tls.TlsSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The connections of the clients that share one set of resources: one HTTP/2 connection per address
 * (and connect timeout and TLS settings), whichever clients call it, all on one group of network
 * threads. A client leases the transport to an address; the connection closes once the last lease
 * on it is closed, or when the pool closes.
 */
public final class ConnectionPool implements AutoCloseable {
  private final int threads;
  private final String threadName;
  private final SocketTransport transport = SocketTransport.current();

  // Guarded by this.
  private final Map<Key, Entry> entries = new HashMap<>();
  private volatile EventLoopGroup group;
  private volatile EventLoopGroup localGroup;
  private boolean closed;

  private final CallClock clock = CallClock.system(this::timers);

  /** One connection: clients with other TLS or keepalive settings never share one. */
  private record Key(
      String inMemoryName,
      String host,
      int port,
      Duration connectTimeout,
      TlsSettings tls,
      ClientKeepAlive keepAlive) {}

  private static final class Entry {
    final NettyClientTransport transport;
    int leases;

    Entry(NettyClientTransport transport) {
      this.transport = transport;
    }
  }

  /**
   * @param threads how many network threads the pool's connections share
   * @param threadName the name of those threads
   */
  public ConnectionPool(int threads, String threadName) {
    if (threads < 1) {
      throw new IllegalArgumentException("A pool needs at least one network thread: " + threads);
    }
    this.threads = threads;
    this.threadName = threadName;
  }

  /**
   * A lease on the connection to {@code host:port} over TCP, with TLS unless {@code tls} is null,
   * which pings as {@code keepAlive} says (clients with other TLS or keepalive settings have
   * connections of their own); its calls carry the fixed headers, content type, wire protocol and
   * size limit given, and add to the leasing client's {@code stats}.
   *
   * @throws IllegalStateException if the pool is closed
   * @throws IllegalArgumentException if the TLS files cannot be read
   */
  public Lease tcp(
      String host,
      int port,
      Duration connectTimeout,
      TlsSettings tls,
      ClientKeepAlive keepAlive,
      Map<String, String> fixedHeaders,
      boolean json,
      ReferenceConfig.WireProtocol protocol,
      int maxInboundMessageSize,
      TransportStats stats) {
    return lease(
        new Key(null, host, port, connectTimeout, tls, keepAlive),
        NettyClientTransport.StreamSettings.of(
            fixedHeaders, json, protocol, maxInboundMessageSize, stats));
  }

  /** As {@link #tcp}, to the server listening in this JVM under {@code name}. */
  public Lease inMemory(
      String name,
      Duration connectTimeout,
      ClientKeepAlive keepAlive,
      Map<String, String> fixedHeaders,
      boolean json,
      ReferenceConfig.WireProtocol protocol,
      int maxInboundMessageSize,
      TransportStats stats) {
    return lease(
        new Key(name, null, 0, connectTimeout, null, keepAlive),
        NettyClientTransport.StreamSettings.of(
            fixedHeaders, json, protocol, maxInboundMessageSize, stats));
  }

  private synchronized Lease lease(Key key, NettyClientTransport.StreamSettings settings) {
    if (closed) {
      throw new IllegalStateException("These client resources are closed");
    }
    Entry entry =
        entries.computeIfAbsent(
            key,
            k ->
                new Entry(
                    k.inMemoryName() != null
                        ? NettyClientTransport.inMemory(
                            localGroup(), k.inMemoryName(), k.connectTimeout(), k.keepAlive())
                        : NettyClientTransport.tcp(
                            group(),
                            transport,
                            k.host(),
                            k.port(),
                            k.connectTimeout(),
                            k.tls(),
                            k.keepAlive())));
    entry.leases++;
    return new Lease(key, entry, settings);
  }

  private EventLoopGroup group() {
    if (group == null) {
      group = EventLoops.newGroup(threadName, threads, transport);
    }
    return group;
  }

  private EventLoopGroup localGroup() {
    if (localGroup == null) {
      localGroup = EventLoops.newLocalGroup(threadName + "-local", threads);
    }
    return localGroup;
  }

  /** The system clock, timing deadlines on the pool's network threads (no thread of its own). */
  public CallClock clock() {
    return clock;
  }

  /**
   * The threads that time deadlines: those of the pool's connections, which a call's client has
   * leased before the call starts.
   */
  private EventLoopGroup timers() {
    EventLoopGroup g = group;
    if (g != null) {
      return g;
    }
    g = localGroup;
    if (g != null) {
      return g;
    }
    synchronized (this) {
      return group();
    }
  }

  /** The socket I/O of the pool's TCP connections: for tests. */
  public SocketTransport socketTransport() {
    return transport;
  }

  /** How many connections (open or opening) the pool holds: for tests. */
  public synchronized int size() {
    return entries.size();
  }

  private void release(Key key, Entry entry) {
    synchronized (this) {
      if (--entry.leases > 0 || entries.get(key) != entry) {
        return;
      }
      entries.remove(key);
    }
    entry.transport.close();
  }

  /**
   * Closes every connection (calls still running get a few seconds, then fail with {@code
   * UNAVAILABLE}) and stops the network threads. Idempotent.
   */
  @Override
  public void close() {
    List<Entry> all;
    EventLoopGroup g;
    EventLoopGroup local;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(entries.values());
      entries.clear();
      g = group;
      local = localGroup;
    }
    for (Entry entry : all) {
      entry.transport.close();
    }
    if (g != null) {
      g.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
    if (local != null) {
      // An in-memory channel's server end finishes its close on this end's threads: give them a
      // moment without tasks before they stop, or Netty drops that work with a warning.
      local
          .shutdownGracefully(100, 5000, TimeUnit.MILLISECONDS)
          .awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
  }

  /**
   * One client's hold on a connection: streams through it carry the client's settings. After {@link
   * #close()}, new streams fail with {@code UNAVAILABLE}; calls still running on the connection go
   * on while other clients use it.
   */
  public final class Lease implements ClientTransport, AutoCloseable {
    private final Key key;
    private final Entry entry;
    private final ClientTransport view;
    private volatile boolean released;

    private Lease(Key key, Entry entry, NettyClientTransport.StreamSettings settings) {
      this.key = key;
      this.entry = entry;
      this.view = entry.transport.bind(settings);
    }

    @Override
    public ClientStream newStream(
        MethodInfo method, Metadata headers, Deadline deadline, Compression compression) {
      if (released) {
        return new FailedClientStream(Status.UNAVAILABLE.withDescription("The client is closed"));
      }
      return view.newStream(method, headers, deadline, compression);
    }

    @Override
    public synchronized void close() {
      if (!released) {
        released = true;
        release(key, entry);
      }
    }
  }
}
