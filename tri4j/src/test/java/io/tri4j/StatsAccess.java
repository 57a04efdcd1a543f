package io.tri4j;

import io.tri4j.internal.TransportStats;

/** The transport statistics of a server or client, which only tri4j's own packages reach. */
public final class StatsAccess {
  private StatsAccess() {}

  public static TransportStats of(Server server) {
    return server.transportStats();
  }

  public static TransportStats of(Client client) {
    return client.transportStats();
  }
}
