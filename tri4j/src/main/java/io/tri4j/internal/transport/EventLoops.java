package io.tri4j.internal.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Event loop groups with daemon threads named after their role. */
final class EventLoops {
  private EventLoops() {}

  static EventLoopGroup newGroup(String name, int threads) {
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory(name, true), NioIoHandler.newFactory());
  }

  /** A group for Netty's in-JVM channels ({@code LocalChannel}), which NIO loops cannot carry. */
  static EventLoopGroup newLocalGroup(String name, int threads) {
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory(name, true), LocalIoHandler.newFactory());
  }
}
