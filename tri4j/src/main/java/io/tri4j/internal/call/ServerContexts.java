package io.tri4j.internal.call;

import io.tri4j.ServerContext;

/** The {@link ServerContext} of the call a handler thread is serving. */
public final class ServerContexts {
  private static final ThreadLocal<ServerContext> CURRENT = new ThreadLocal<>();

  private ServerContexts() {}

  public static ServerContext current() {
    return CURRENT.get();
  }

  static ServerContext enter(ServerContext context) {
    ServerContext previous = CURRENT.get();
    CURRENT.set(context);
    return previous;
  }

  static void exit(ServerContext previous) {
    // set, not remove: the thread keeps its entry, which the next call's enter would otherwise
    // allocate again.
    CURRENT.set(previous);
  }
}
