package io.tri4j.internal.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.MethodType;
import io.tri4j.ReferenceConfig;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.call.CallClock;
import io.tri4j.internal.call.ClientStream;
import io.tri4j.internal.call.ClientTransport;
import io.tri4j.internal.call.Deadline;
import io.tri4j.internal.call.FailedClientStream;
import io.tri4j.internal.codec.Compression;
import io.tri4j.internal.tls.SslContextSource;
import io.tri4j.internal.tls.TlsFailures;
import io.tri4j.internal.tls.TlsSettings;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls to one {@code host:port} over one HTTP/2 connection (h2c with prior knowledge, or TLS with
 * ALPN {@code h2}), which the clients of a {@link ConnectionPool} share. The connection is opened
 * on the first call and opened again if it closes or the server sends GOAWAY. {@link #inMemory}
 * makes the same transport over Netty's in-JVM channel to a server listening on a {@link
 * LocalAddress}.
 *
 * <p>What differs between the clients that share it (headers fixed per client, the content type,
 * the response size limit) comes with each stream, as {@link StreamSettings}; {@link #bind} gives a
 * client its own view.
 */
final class NettyClientTransport implements AutoCloseable {
  private static final AsciiString HTTPS = AsciiString.cached("https");
  private static final Logger log = LoggerFactory.getLogger(NettyClientTransport.class);

  private final SocketAddress remote;
  private final String target;
  private final AsciiString authority;
  private final Duration connectTimeout;
  private final Bootstrap bootstrap;
  private final ChannelGroup channels;
  private final SslContextSource tls;

  private Connection current;
  private volatile boolean closed;

  /** Raised by the server's {@code too_many_pings}; each new connection takes the latest. */
  private volatile ClientKeepAlive keepAlive;

  /**
   * What the clients of one connection set apart: headers sent on every call of the client, the
   * request content type (whether JSON), the protocol other than gRPC if any, the largest response
   * message accepted, and the statistics the client's streams add to.
   */
  record StreamSettings(
      Http2Headers fixedHeaders,
      GrpcRequestHeaders grpcHeaders,
      boolean json,
      WebProtocol web,
      int maxInboundMessageSize,
      TransportStats stats) {
    static StreamSettings of(
        Map<String, String> fixedHeaders,
        boolean json,
        ReferenceConfig.WireProtocol protocol,
        int maxInboundMessageSize,
        TransportStats stats) {
      Http2Headers fixed = new DefaultHttp2Headers(false);
      fixedHeaders.forEach((k, v) -> fixed.add(AsciiString.of(k), AsciiString.of(v)));
      return new StreamSettings(
          fixed,
          new GrpcRequestHeaders(
              json ? GrpcHeaders.APPLICATION_GRPC_JSON : GrpcHeaders.APPLICATION_GRPC_PROTO,
              fixedHeaders),
          json,
          WebProtocol.of(protocol),
          maxInboundMessageSize,
          stats);
    }
  }

  /**
   * A transport to {@code host:port} over TCP, on {@code group}'s threads (which carry {@code
   * transport}'s sockets); with TLS unless {@code tls} is null.
   *
   * @throws IllegalArgumentException if the TLS files cannot be read
   */
  static NettyClientTransport tcp(
      EventLoopGroup group,
      SocketTransport transport,
      String host,
      int port,
      Duration connectTimeout,
      TlsSettings tls,
      ClientKeepAlive keepAlive) {
    String name = tls != null && tls.serverNameOverride() != null ? tls.serverNameOverride() : host;
    return new NettyClientTransport(
        group,
        transport,
        InetSocketAddress.createUnresolved(host, port),
        authority(host, port),
        authority(name, port),
        connectTimeout,
        tls == null ? null : SslContextSource.start(tls),
        name,
        keepAlive);
  }

  private static String authority(String host, int port) {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  /** A transport to the server listening in this JVM under {@code name}. */
  static NettyClientTransport inMemory(
      EventLoopGroup localGroup, String name, Duration connectTimeout, ClientKeepAlive keepAlive) {
    return new NettyClientTransport(
        localGroup,
        null,
        NettyServer.inMemoryAddress(name),
        name,
        name,
        connectTimeout,
        null,
        null,
        keepAlive);
  }

  private NettyClientTransport(
      EventLoopGroup group,
      SocketTransport transport,
      SocketAddress remote,
      String target,
      String authority,
      Duration connectTimeout,
      SslContextSource tls,
      String serverName,
      ClientKeepAlive keepAlive) {
    boolean local = remote instanceof LocalAddress;
    this.keepAlive = keepAlive;
    this.remote = remote;
    this.target = local ? "in-memory server " + target : target;
    this.authority = AsciiString.of(authority);
    this.connectTimeout = connectTimeout;
    this.tls = tls;
    this.channels = new DefaultChannelGroup(group.next());
    this.bootstrap = new Bootstrap().group(group);
    if (local) {
      bootstrap.channel(LocalChannel.class);
    } else {
      bootstrap
          .channel(transport.channelClass())
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis());
    }
    bootstrap.handler(
        new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (local) {
              ch.pipeline().addLast(InMemoryCopy.INSTANCE);
            }
            if (tls != null) {
              InetSocketAddress address = (InetSocketAddress) remote;
              ch.pipeline()
                  .addLast(
                      tls.current().newHandler(ch.alloc(), serverName, address.getPort()),
                      new ClientTlsGate(target, tls.settings().key() != null));
            }
            ch.pipeline()
                .addLast(newHandler(keepAlive, null, NettyClientTransport.this::tooManyPings));
          }
        });
  }

  /** The HTTP/2 end of one connection, without keepalive. */
  static NettyClientHandler newHandler() {
    return newHandler(ClientKeepAlive.OFF, null, () -> {});
  }

  /**
   * The HTTP/2 end of one connection, pinging as {@code keepAlive} says on {@code clock} (null: the
   * system clock); {@code onTooManyPings} runs when the server asks for fewer pings.
   */
  static NettyClientHandler newHandler(
      ClientKeepAlive keepAlive, CallClock clock, Runnable onTooManyPings) {
    return Http2Codecs.newHandler(
        false,
        Http2Codecs.clientSettings(),
        (decoder, encoder, settings) ->
            new NettyClientHandler(
                decoder,
                encoder,
                settings,
                Http2Codecs.CONNECTION_WINDOW,
                keepAlive,
                clock,
                onTooManyPings));
  }

  /**
   * The server sent GOAWAY with {@code too_many_pings}: this address's next connections ping half
   * as often, as gRPC's clients do.
   */
  void tooManyPings() {
    ClientKeepAlive k = keepAlive;
    long doubled = k.timeNanos() > Long.MAX_VALUE / 2 ? Long.MAX_VALUE - 1 : k.timeNanos() * 2;
    keepAlive = new ClientKeepAlive(doubled, k.timeoutNanos(), k.withoutCalls());
    log.warn(
        "{} sent GOAWAY too_many_pings: keepalive time raised to {} ms; it allows fewer pings than"
            + " the client's keepAliveTime",
        target,
        TimeUnit.NANOSECONDS.toMillis(doubled));
  }

  /** The keepalive settings of the next connection: for tests. */
  ClientKeepAlive keepAlive() {
    return keepAlive;
  }

  /** One client's view: its streams carry {@code settings}. */
  ClientTransport bind(StreamSettings settings) {
    return (method, metadata, deadline, compression) ->
        newStream(method, metadata, deadline, compression, settings);
  }

  ClientStream newStream(
      MethodInfo method,
      Metadata metadata,
      Deadline deadline,
      Compression compression,
      StreamSettings settings) {
    if (deadline != null && deadline.isExpired()) {
      return new FailedClientStream(
          Status.DEADLINE_EXCEEDED.withDescription("Deadline exceeded before the call started"));
    }
    Connection connection;
    try {
      connection = connection(deadline);
    } catch (StatusException e) {
      return new FailedClientStream(e.getStatus());
    }
    AsciiString scheme = tls == null ? GrpcHeaders.HTTP : HTTPS;
    WebProtocol web = settings.web();
    if (web != null) {
      String path = "/" + method.fullName();
      boolean unary = method.type() == MethodType.UNARY;
      return new NettyClientStream(
          connection.handler,
          connection.writeQueue,
          web.requestHeaders(
              path,
              scheme,
              authority,
              settings.json(),
              unary,
              deadline,
              compression,
              settings.fixedHeaders(),
              metadata),
          settings.maxInboundMessageSize(),
          settings.stats(),
          web,
          settings.json(),
          unary,
          compression);
    }
    GrpcRequestHeaders grpc = settings.grpcHeaders();
    Http2Headers headers =
        grpc.forCall(grpc.path(method), scheme, authority, deadline, compression, metadata);
    return new NettyClientStream(
        connection.handler,
        connection.writeQueue,
        headers,
        settings.maxInboundMessageSize(),
        settings.stats());
  }

  /**
   * The connection for a new stream: the current one if it still takes streams, else a new one.
   * Waits for it to be ready, but no longer than the connect timeout or the call's deadline; the
   * lock is not held while waiting, so callers share one connection attempt.
   */
  private Connection connection(Deadline deadline) {
    Connection c;
    synchronized (this) {
      if (closed) {
        throw Status.UNAVAILABLE.withDescription("The client is closed").asException();
      }
      if (current == null || !current.usable()) {
        if (current != null) {
          current.retire();
        }
        if (tls != null) {
          tls.refresh();
        }
        current = new Connection(bootstrap.connect(remote));
      }
      c = current;
      c.waitedOn();
    }
    try {
      c.awaitReady(deadline);
      c.doneWaiting(false);
      return c;
    } catch (StatusException e) {
      boolean failed = e.getStatus().code() == Status.Code.UNAVAILABLE;
      synchronized (this) {
        if (current == c && failed) {
          current = null; // the next call tries again
        }
      }
      c.doneWaiting(failed);
      throw e;
    }
  }

  /**
   * Closes the connections: calls still running get a few seconds to finish (HTTP/2 GOAWAY), then
   * fail with {@code UNAVAILABLE}. The event loop group is its pool's, not closed here. Idempotent.
   */
  @Override
  public void close() {
    Connection pending;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      pending = current;
      current = null;
    }
    if (pending != null && !pending.connect.isDone()) {
      // Callers waiting for this connection fail now rather than at the connect timeout: closing
      // the channel fails the connect (cancelling the future instead races Netty's own completion
      // of it).
      pending.connect.channel().close();
    }
    for (Channel channel : channels) {
      NettyClientHandler h = channel.pipeline().get(NettyClientHandler.class);
      if (h != null) {
        // A retired connection waits for its calls without a limit: the client's close sets one.
        channel.eventLoop().execute(() -> h.closeWithin(NettyClientHandler.CLOSE_GRACE_MILLIS));
      }
    }
    channels.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
    if (tls != null) {
      tls.close();
    }
  }

  /** One connection attempt and, once it succeeds, its handler and write queue. */
  private final class Connection {
    final ChannelFuture connect;
    private volatile NettyClientHandler handler;
    private volatile WriteQueue writeQueue;

    Connection(ChannelFuture connect) {
      this.connect = connect;
      connect.addListener(
          f -> {
            if (f.isSuccess()) {
              channels.add(connect.channel());
              if (closed) {
                connect.channel().close(); // connected just as the transport closed
              }
            }
          });
    }

    /** Whether new streams may use it: still connecting, or connected and not draining. */
    boolean usable() {
      if (!connect.isDone()) {
        return true;
      }
      NettyClientHandler h = handler != null ? handler : handlerOf(connect);
      return connect.isSuccess() && h != null && h.acceptsNewStreams();
    }

    private NettyClientHandler handlerOf(ChannelFuture f) {
      return f.isSuccess() ? f.channel().pipeline().get(NettyClientHandler.class) : null;
    }

    void awaitReady(Deadline deadline) {
      long waitNanos = TimeUnit.MILLISECONDS.toNanos(connectTimeout.toMillis() + 1000);
      boolean deadlineFirst = deadline != null && deadline.remainingNanos() < waitNanos;
      long limit = System.nanoTime() + (deadlineFirst ? deadline.remainingNanos() : waitNanos);
      if (!connect.awaitUninterruptibly(
          Math.max(0, limit - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw timedOut(deadlineFirst, "Timed out connecting to " + target);
      }
      if (closed) {
        throw Status.UNAVAILABLE.withDescription("The client is closed").asException();
      }
      if (!connect.isSuccess()) {
        throw Status.UNAVAILABLE
            .withDescription("Failed to connect to " + target + ": " + connect.cause().getMessage())
            .withCause(connect.cause())
            .asException();
      }
      NettyClientHandler h = handlerOf(connect);
      if (h == null) {
        throw failed("closed");
      }
      ChannelFuture ready = h.ready();
      if (!ready.awaitUninterruptibly(
          Math.max(0, limit - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw timedOut(deadlineFirst, "Timed out starting HTTP/2 with " + target);
      }
      ChannelFuture serverSpoke = connect.channel().attr(ClientTlsGate.SERVER_SPOKE).get();
      if (ready.isSuccess()
          && serverSpoke != null
          && !serverSpoke.awaitUninterruptibly(
              Math.max(0, limit - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw timedOut(deadlineFirst, "Timed out waiting for " + target + " to answer over TLS");
      }
      if (!ready.isSuccess() || (serverSpoke != null && !serverSpoke.isSuccess())) {
        throw failed("failed");
      }
      synchronized (this) {
        if (abandoned) {
          throw failed("was given up on");
        }
        if (writeQueue == null) {
          writeQueue = new WriteQueue(connect.channel());
          handler = h;
        }
      }
    }

    /** Why the connection ended before it was ready: TLS, the server's GOAWAY, or {@code what}. */
    private StatusException failed(String what) {
      Throwable tlsFailure = connect.channel().attr(ClientTlsGate.FAILURE).get();
      if (tlsFailure != null) {
        return Status.UNAVAILABLE
            .withDescription(
                "TLS with "
                    + target
                    + " failed: "
                    + TlsFailures.describeForClient(tlsFailure, tls.settings().key() != null))
            .withCause(tlsFailure)
            .asException();
      }
      return Status.UNAVAILABLE
          .withDescription(
              "Connection to "
                  + target
                  + " "
                  + what
                  + NettyClientHandler.goAwayReason(connect.channel()))
          .asException();
    }

    private StatusException timedOut(boolean deadlineFirst, String what) {
      return deadlineFirst
          ? Status.DEADLINE_EXCEEDED.withDescription("Deadline exceeded: " + what).asException()
          : Status.UNAVAILABLE.withDescription(what).asException();
    }

    /** No new streams come here: close it once the streams it carries are done. */
    // Guarded by this Connection: the callers waiting for it to be ready, and whether the last of
    // them gave up on it.
    private int waiters;

    private boolean abandoned;

    /** A caller waits for it to be ready (under the transport's lock, as it is handed out). */
    synchronized void waitedOn() {
      waiters++;
    }

    /**
     * A caller is done waiting; {@code gaveUp} if it failed to become ready for that caller. The
     * last caller to give up on a connection still not ready closes its channel (which also fails a
     * connect under way, as in {@link NettyClientTransport#close}): else it stayed open, unused and
     * unwatched (keepalive pings only while calls run), one more for every call that tried. Callers
     * still waiting keep it: they share the attempt.
     */
    void doneWaiting(boolean gaveUp) {
      synchronized (this) {
        waiters--;
        if (!gaveUp || waiters > 0 || writeQueue != null) {
          return;
        }
        abandoned = true; // a caller woken with it ready in the meantime does not take it
      }
      connect.channel().close();
    }

    void retire() {
      connect.addListener(
          f -> {
            if (f.isSuccess()) {
              NettyClientHandler h = handlerOf(connect);
              if (h != null) {
                connect.channel().eventLoop().execute(h::closeWhenIdle);
              }
            }
          });
    }
  }
}
