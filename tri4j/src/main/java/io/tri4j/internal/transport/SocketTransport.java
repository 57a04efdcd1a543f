package io.tri4j.internal.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket I/O under the network threads: epoll on Linux, else NIO; io_uring when asked for. The
 * native ones need Netty's native jars on the class path (optional dependencies of tri4j); without
 * them, or on another system, tri4j runs on NIO. The system property {@value #PROPERTY} ({@code
 * nio}, {@code epoll}, {@code io_uring} or {@code auto}) overrides the choice.
 *
 * <p>io_uring is not chosen by itself: on Netty 4.2.18 a server that closes a flooding connection
 * after its GOAWAY (see {@code NettyServerHandler.onConnectionError}) lost that GOAWAY to a reset
 * on io_uring and not on epoll or NIO. The call suite passes on io_uring otherwise.
 *
 * <p>The native constants name Netty's epoll and io_uring classes only in their own method bodies,
 * so that nothing loads them before {@link #isAvailable()} has said they are there.
 */
public enum SocketTransport {
  NIO("nio") {
    @Override
    IoHandlerFactory newIoHandlerFactory() {
      return NioIoHandler.newFactory();
    }

    @Override
    Class<? extends ServerChannel> serverChannelClass() {
      return NioServerSocketChannel.class;
    }

    @Override
    Class<? extends SocketChannel> channelClass() {
      return NioSocketChannel.class;
    }

    @Override
    Throwable loadFailure() {
      return null;
    }
  },
  EPOLL("epoll") {
    @Override
    IoHandlerFactory newIoHandlerFactory() {
      return io.netty.channel.epoll.EpollIoHandler.newFactory();
    }

    @Override
    Class<? extends ServerChannel> serverChannelClass() {
      return io.netty.channel.epoll.EpollServerSocketChannel.class;
    }

    @Override
    Class<? extends SocketChannel> channelClass() {
      return io.netty.channel.epoll.EpollSocketChannel.class;
    }

    @Override
    Throwable loadFailure() {
      return io.netty.channel.epoll.Epoll.unavailabilityCause();
    }
  },
  IO_URING("io_uring") {
    @Override
    IoHandlerFactory newIoHandlerFactory() {
      return io.netty.channel.uring.IoUringIoHandler.newFactory();
    }

    @Override
    Class<? extends ServerChannel> serverChannelClass() {
      return io.netty.channel.uring.IoUringServerSocketChannel.class;
    }

    @Override
    Class<? extends SocketChannel> channelClass() {
      return io.netty.channel.uring.IoUringSocketChannel.class;
    }

    @Override
    Throwable loadFailure() {
      return io.netty.channel.uring.IoUring.unavailabilityCause();
    }
  };

  /** The system property that overrides the automatic choice. */
  public static final String PROPERTY = "tri4j.transport";

  private static final Logger log = LoggerFactory.getLogger(SocketTransport.class);

  /** One bit per transport already reported at DEBUG: each is named once per JVM. */
  private static final AtomicInteger reported = new AtomicInteger();

  private final String propertyValue;

  SocketTransport(String propertyValue) {
    this.propertyValue = propertyValue;
  }

  abstract IoHandlerFactory newIoHandlerFactory();

  abstract Class<? extends ServerChannel> serverChannelClass();

  abstract Class<? extends SocketChannel> channelClass();

  /** Why this transport cannot run here, or null if it can. */
  abstract Throwable loadFailure();

  /** Why this transport cannot run here (its classes or native library missing), or null. */
  public Throwable unavailabilityCause() {
    try {
      return loadFailure();
    } catch (LinkageError e) {
      return e; // the optional classes jar is not on the class path
    }
  }

  /** Whether this transport can run here. */
  public boolean isAvailable() {
    return unavailabilityCause() == null;
  }

  /** The name {@value #PROPERTY} takes for this transport. */
  public String propertyValue() {
    return propertyValue;
  }

  /** The transport the system property asks for, or the best one available here. */
  static SocketTransport current() {
    SocketTransport transport =
        choose(System.getProperty(PROPERTY), SocketTransport::unavailabilityCause);
    int bit = 1 << transport.ordinal();
    if ((reported.getAndUpdate(r -> r | bit) & bit) == 0) {
      log.debug("tri4j network threads use {}", transport.propertyValue);
    }
    return transport;
  }

  /**
   * The transport {@code requested} names ({@code null}, empty or {@code auto}: epoll where it
   * runs, else NIO); {@code unavailabilityCause} says why a transport cannot run here, or null if
   * it can.
   *
   * @throws IllegalArgumentException if {@code requested} names no transport
   * @throws IllegalStateException if the transport named cannot run here
   */
  static SocketTransport choose(
      String requested, Function<SocketTransport, Throwable> unavailabilityCause) {
    String name = requested == null ? "" : requested.trim().toLowerCase(Locale.ROOT);
    if (name.isEmpty() || name.equals("auto")) {
      return unavailabilityCause.apply(EPOLL) == null ? EPOLL : NIO;
    }
    for (SocketTransport transport : values()) {
      if (transport.propertyValue.equals(name)) {
        Throwable why = unavailabilityCause.apply(transport);
        if (why != null) {
          throw new IllegalStateException(
              PROPERTY
                  + "="
                  + name
                  + ", but "
                  + name
                  + " cannot run here ("
                  + why
                  + "): on Linux, add io.netty:netty-transport-native-"
                  + name
                  + " with the classifier linux-x86_64 or linux-aarch_64, or set "
                  + PROPERTY
                  + "=nio",
              why);
        }
        return transport;
      }
    }
    throw new IllegalArgumentException(
        PROPERTY + " must be auto, nio, epoll or io_uring, not '" + requested + "'");
  }
}
