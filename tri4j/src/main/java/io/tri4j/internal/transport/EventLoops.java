package io.tri4j.internal.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Event loop groups with daemon threads named after their role. */
final class EventLoops {
  private EventLoops() {}

  /** A group for {@code transport}'s sockets. */
  static EventLoopGroup newGroup(String name, int threads, SocketTransport transport) {
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory(name, true), transport.newIoHandlerFactory());
  }

  /**
   * A group for Netty's in-JVM channels ({@code LocalChannel}), which socket loops cannot carry.
   */
  static EventLoopGroup newLocalGroup(String name, int threads) {
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory(name, true), LocalIoHandler.newFactory());
  }
}
