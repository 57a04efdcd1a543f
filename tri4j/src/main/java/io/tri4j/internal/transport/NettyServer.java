package io.tri4j.internal.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tri4j.Status;
import io.tri4j.internal.TransportStats;
import io.tri4j.internal.call.CallClock;
import io.tri4j.internal.call.Deadline;
import io.tri4j.internal.call.ServerCallDispatcher;
import io.tri4j.internal.tls.SslContextSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The listening sockets of one server and their HTTP/2 connections: h2c with prior knowledge, or
 * over TLS with ALPN where the listener has a TLS context (HTTP/1.1 JSON calls on both). A listener
 * on a {@link LocalAddress} takes connections from this JVM only, with no socket (Netty's local
 * transport): the same HTTP/2 codec and call handling, without the kernel.
 *
 * <p>Shutdown is in two steps: {@link #shutdown()} stops accepting and sends GOAWAY on every
 * connection, which then closes once its calls are done; {@link #shutdownNow} ends the calls still
 * running and closes the connections at once.
 */
public final class NettyServer {
  /**
   * One address to listen on (an {@code InetSocketAddress} or a {@link LocalAddress}), the calls it
   * serves, the limits of its connections, the clock of its calls' deadlines and its connections'
   * timers (null: the system clock, timed on each connection's network thread), their TLS context
   * (null for plaintext), its connections' keepalive and lifetime, the longest deadline of its
   * calls ({@link Deadline#NO_TIMEOUT} for no cap), the files it answers GET and HEAD with (null
   * for none), and the origins of the web pages that may call it (CORS; empty for none).
   */
  public record Listener(
      SocketAddress address,
      ServerCallDispatcher dispatcher,
      int maxInboundMessageSize,
      int maxHeaderListSize,
      int maxConcurrentStreams,
      CallClock clock,
      SslContextSource tls,
      ServerKeepAlive keepAlive,
      CallClock connectionClock,
      long maxDeadlineNanos,
      StaticResources staticResources,
      List<String> corsAllowedOrigins) {
    /** A listener whose calls' deadlines have no cap, that serves no files and allows no CORS. */
    public Listener(
        SocketAddress address,
        ServerCallDispatcher dispatcher,
        int maxInboundMessageSize,
        int maxHeaderListSize,
        int maxConcurrentStreams,
        CallClock clock,
        SslContextSource tls,
        ServerKeepAlive keepAlive,
        CallClock connectionClock) {
      this(
          address,
          dispatcher,
          maxInboundMessageSize,
          maxHeaderListSize,
          maxConcurrentStreams,
          clock,
          tls,
          keepAlive,
          connectionClock,
          Deadline.NO_TIMEOUT,
          null,
          List.of());
    }

    /** A copy that lets web pages of {@code origins} call ({@code "*"}: any). */
    public Listener withCorsAllowedOrigins(List<String> origins) {
      return new Listener(
          address,
          dispatcher,
          maxInboundMessageSize,
          maxHeaderListSize,
          maxConcurrentStreams,
          clock,
          tls,
          keepAlive,
          connectionClock,
          maxDeadlineNanos,
          staticResources,
          List.copyOf(origins));
    }
  }

  private final int workerThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
  private final SocketTransport transport = SocketTransport.current();
  private final EventLoopGroup bossGroup =
      EventLoops.newGroup("tri4j-server-netty-accept", 1, transport);
  private final EventLoopGroup workerGroup =
      EventLoops.newGroup("tri4j-server-netty", workerThreads, transport);
  private EventLoopGroup localGroup; // made on the first in-memory listener
  private final ChannelGroup serverChannels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final List<SocketAddress> boundAddresses = new ArrayList<>();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final Runnable afterTermination;
  private final TransportStats stats;
  private final CallLimit callLimit;
  private boolean shutdown;

  /**
   * Binds every listener; on failure, closes what was bound and throws. {@code afterTermination}
   * runs once every connection has closed. The connections' streams add to {@code stats}; at most
   * {@code maxConcurrentCalls} calls are in progress at once over all of them.
   */
  public NettyServer(
      List<Listener> listeners,
      TransportStats stats,
      int maxConcurrentCalls,
      Runnable afterTermination) {
    this.afterTermination = afterTermination;
    this.stats = stats;
    this.callLimit = new CallLimit(maxConcurrentCalls);
    try {
      for (Listener listener : listeners) {
        ChannelFuture bind = bootstrap(listener).bind(listener.address()).awaitUninterruptibly();
        if (!bind.isSuccess()) {
          throw new UncheckedIOException(
              new IOException(
                  "Failed to bind " + listener.address() + ": " + bind.cause().getMessage(),
                  bind.cause()));
        }
        serverChannels.add(bind.channel());
        boundAddresses.add(bind.channel().localAddress());
      }
    } catch (RuntimeException e) {
      serverChannels.close().awaitUninterruptibly();
      terminate();
      throw e;
    }
  }

  /**
   * The address of an in-memory listener named {@code name}. Netty trims and lower-cases local
   * addresses, and takes "any" for a random one: the name is kept apart from those rules by a
   * prefix and by escaping every character other than a-z, 0-9, '-', '_' and '.' as %XX (UTF-8).
   */
  public static SocketAddress inMemoryAddress(String name) {
    StringBuilder id = new StringBuilder("tri4j:");
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.') {
        id.append(c);
      } else {
        id.append('%')
            .append(Character.forDigit(c >> 4, 16))
            .append(Character.forDigit(c & 15, 16));
      }
    }
    return new LocalAddress(id.toString());
  }

  private ServerBootstrap bootstrap(Listener listener) {
    ServerBootstrap bootstrap = new ServerBootstrap();
    if (listener.address() instanceof LocalAddress) {
      if (localGroup == null) {
        localGroup = EventLoops.newLocalGroup("tri4j-server-netty-local", workerThreads);
      }
      bootstrap.group(localGroup).channel(LocalServerChannel.class);
    } else {
      bootstrap
          .group(bossGroup, workerGroup)
          .channel(transport.serverChannelClass())
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true);
    }
    return bootstrap.childHandler(
        new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            synchronized (NettyServer.this) {
              if (shutdown) {
                ch.close();
                return;
              }
              connections.add(ch);
            }
            if (ch instanceof LocalChannel) {
              ch.pipeline().addLast(InMemoryCopy.INSTANCE);
            }
            Supplier<ChannelHandler> http2 = () -> http2Handler(listener, stats, callLimit);
            Supplier<ChannelHandler[]> http1 = () -> http1Handlers(listener, callLimit);
            if (listener.tls() == null) {
              ch.pipeline().addLast(new ProtocolDetector(http2, http1));
            } else {
              ch.pipeline()
                  .addLast(
                      new TlsDetector(
                          () ->
                              new ChannelHandler[] {
                                listener.tls().current().newHandler(ch.alloc()),
                                new ServerAlpnHandler(http2, http1)
                              }));
            }
          }
        });
  }

  private ChannelHandler[] http1Handlers(Listener listener, CallLimit callLimit) {
    Cors cors = Cors.of(listener.corsAllowedOrigins());
    ChannelHandler aggregator = Http1Handler.aggregator(listener.maxInboundMessageSize());
    ChannelHandler handler =
        new Http1Handler(
            listener.dispatcher(),
            callLimit,
            listener.maxInboundMessageSize(),
            stats,
            listener.staticResources(),
            listener.clock(),
            listener.maxDeadlineNanos());
    return cors == null
        ? new ChannelHandler[] {new HttpServerCodec(), aggregator, handler}
        : new ChannelHandler[] {new HttpServerCodec(), new Http1Cors(cors), aggregator, handler};
  }

  /** The HTTP/2 end of one of {@code listener}'s connections. */
  static NettyServerHandler http2Handler(
      Listener listener, TransportStats stats, CallLimit callLimit) {
    return Http2Codecs.newHandler(
        true,
        Http2Codecs.serverSettings(listener.maxHeaderListSize(), listener.maxConcurrentStreams()),
        (decoder, encoder, settings) -> {
          Cors cors = Cors.of(listener.corsAllowedOrigins());
          Http2Cors http2Cors = cors == null ? null : new Http2Cors(cors, decoder.connection());
          NettyServerHandler handler =
              new NettyServerHandler(
                  decoder,
                  http2Cors == null ? encoder : http2Cors.encoder(encoder),
                  settings,
                  listener.dispatcher(),
                  listener.maxInboundMessageSize(),
                  Http2Codecs.CONNECTION_WINDOW,
                  listener.clock(),
                  stats,
                  listener.keepAlive(),
                  listener.connectionClock(),
                  callLimit,
                  listener.maxDeadlineNanos(),
                  listener.staticResources());
          if (http2Cors != null) {
            http2Cors.decorate(decoder, encoder); // after the handler set its frame listener
          }
          return handler;
        });
  }

  /** The socket I/O of the TCP listeners and their connections. */
  public SocketTransport socketTransport() {
    return transport;
  }

  /** The addresses actually bound, in the order of the listeners (port 0 resolved). */
  /** Connections open now, over every listener (closed ones leave the group by themselves). */
  public int openConnections() {
    return connections.size();
  }

  public List<SocketAddress> boundAddresses() {
    return List.copyOf(boundAddresses);
  }

  /** Stops accepting, and closes each connection once its calls are done. */
  public void shutdown() {
    List<Channel> open;
    synchronized (this) {
      if (shutdown) {
        return;
      }
      shutdown = true;
      open = new ArrayList<>(connections);
    }
    serverChannels.close().awaitUninterruptibly();
    for (Channel ch : open) {
      ch.eventLoop()
          .execute(
              () -> {
                NettyServerHandler handler = handler(ch);
                Http1Handler http1 = ch.pipeline().get(Http1Handler.class);
                if (handler != null) {
                  handler.closeGracefully();
                } else if (http1 != null) {
                  http1.closeGracefully();
                } else {
                  ch.close(); // no request yet
                }
              });
    }
    watchForTermination();
  }

  /**
   * Closes every connection now: the calls still running end with {@code status}, which their
   * clients and handlers see. {@code afterCancelling} runs once they have been told (on a network
   * thread): interrupting handler threads before would end their calls with another status.
   */
  public void shutdownNow(Status status, Runnable afterCancelling) {
    shutdown();
    List<Channel> open = new ArrayList<>(connections);
    AtomicInteger left = new AtomicInteger(open.size() + 1);
    Runnable cancelled =
        () -> {
          if (left.decrementAndGet() == 0) {
            afterCancelling.run();
          }
        };
    for (Channel ch : open) {
      try {
        ch.eventLoop().execute(() -> cancelAndClose(ch, status, cancelled));
      } catch (RejectedExecutionException e) {
        cancelled.run(); // its event loop is gone, and the connection with it
      }
    }
    cancelled.run();
  }

  private static void cancelAndClose(Channel ch, Status status, Runnable cancelled) {
    try {
      NettyServerHandler handler = handler(ch);
      Http1Handler http1 = ch.pipeline().get(Http1Handler.class);
      if (handler != null) {
        handler.cancelCallsAndClose(status);
      } else if (http1 != null) {
        http1.cancelCallAndClose(status);
      } else {
        ch.close();
      }
    } finally {
      cancelled.run();
    }
  }

  private static NettyServerHandler handler(Channel ch) {
    return ch.pipeline().get(NettyServerHandler.class);
  }

  private void watchForTermination() {
    Thread watcher =
        new Thread(
            () -> {
              for (Channel ch : new ArrayList<>(connections)) {
                ch.closeFuture().awaitUninterruptibly();
              }
              terminate();
            },
            "tri4j-server-shutdown");
    watcher.setDaemon(true);
    watcher.start();
  }

  private void terminate() {
    Future<?> boss = bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    Future<?> workers = workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    Future<?> local =
        localGroup == null
            ? GlobalEventExecutor.INSTANCE.newSucceededFuture(null)
            // The client end of an in-memory channel finishes its close on these threads.
            : localGroup.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS);
    boss.addListener(
        f ->
            workers.addListener(
                g ->
                    local.addListener(
                        h -> {
                          try {
                            afterTermination.run();
                          } finally {
                            terminated.countDown();
                          }
                        })));
  }

  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return terminated.await(timeout, unit);
  }

  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }
}
