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
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket I/O under the network threads: epoll on Linux, else NIO; io_uring when asked for. The
 * native ones need Netty's native jars on the class path (optional dependencies of tri4j); without
 * them, or on another system, tri4j runs on NIO. The system property {@value #PROPERTY} ({@code
 * nio}, {@code epoll}, {@code io_uring} or {@code auto}) overrides the choice.
 *
 * <p>io_uring is not chosen by itself: the whole core suite passes on it (since {@code
 * SentResetLimit} closes only after its GOAWAY is written), but on a quiet machine it used more
 * server CPU per call than epoll in five of six load cases (docs/BENCHMARKS.md).
 *
 * <p>The native constants name Netty's epoll and io_uring classes only inside lambdas, so that
 * nothing loads them before {@link #unavailabilityCause()} has said they are there.
 */
public enum SocketTransport {
  NIO(
      "nio",
      NioIoHandler::newFactory,
      () -> NioServerSocketChannel.class,
      () -> NioSocketChannel.class,
      () -> null),
  EPOLL(
      "epoll",
      () -> io.netty.channel.epoll.EpollIoHandler.newFactory(),
      () -> io.netty.channel.epoll.EpollServerSocketChannel.class,
      () -> io.netty.channel.epoll.EpollSocketChannel.class,
      () -> io.netty.channel.epoll.Epoll.unavailabilityCause()),
  IO_URING(
      "io_uring",
      () -> io.netty.channel.uring.IoUringIoHandler.newFactory(),
      () -> io.netty.channel.uring.IoUringServerSocketChannel.class,
      () -> io.netty.channel.uring.IoUringSocketChannel.class,
      () -> io.netty.channel.uring.IoUring.unavailabilityCause());

  /** The system property that overrides the automatic choice. */
  public static final String PROPERTY = "tri4j.transport";

  private static final Logger log = LoggerFactory.getLogger(SocketTransport.class);

  /** One bit per transport already reported at DEBUG: each is named once per JVM. */
  private static final AtomicInteger reported = new AtomicInteger();

  private final String propertyValue;
  private final Supplier<IoHandlerFactory> ioHandlers;
  private final Supplier<Class<? extends ServerChannel>> serverChannelClass;
  private final Supplier<Class<? extends SocketChannel>> channelClass;
  private final Supplier<Throwable> loadFailure;

  SocketTransport(
      String propertyValue,
      Supplier<IoHandlerFactory> ioHandlers,
      Supplier<Class<? extends ServerChannel>> serverChannelClass,
      Supplier<Class<? extends SocketChannel>> channelClass,
      Supplier<Throwable> loadFailure) {
    this.propertyValue = propertyValue;
    this.ioHandlers = ioHandlers;
    this.serverChannelClass = serverChannelClass;
    this.channelClass = channelClass;
    this.loadFailure = loadFailure;
  }

  IoHandlerFactory newIoHandlerFactory() {
    return ioHandlers.get();
  }

  Class<? extends ServerChannel> serverChannelClass() {
    return serverChannelClass.get();
  }

  Class<? extends SocketChannel> channelClass() {
    return channelClass.get();
  }

  /** Why this transport cannot run here (its classes or native library missing), or null. */
  public Throwable unavailabilityCause() {
    try {
      return loadFailure.get();
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
