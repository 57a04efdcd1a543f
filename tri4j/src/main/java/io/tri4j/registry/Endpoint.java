package io.tri4j.registry;

import java.util.Map;
import java.util.Objects;

/**
 * One provider of a service as a registry lists it: where it listens, and its parameters (such as
 * {@code weight}, {@code version}, {@code group}).
 *
 * @param host the provider's host or address
 * @param port its port
 * @param parameters everything else the registry knows of it
 */
public record Endpoint(String host, int port, Map<String, String> parameters) {
  /**
   * Checks the arguments.
   *
   * @throws NullPointerException if {@code host} or {@code parameters} is null
   */
  public Endpoint {
    Objects.requireNonNull(host, "host");
    parameters = Map.copyOf(parameters);
  }

  /** {@code host:port}, with IPv6 hosts in brackets. */
  public String address() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** The {@code weight} parameter, 100 if absent or invalid (as in Dubbo). */
  public int weight() {
    try {
      return Math.max(0, Integer.parseInt(parameters.getOrDefault("weight", "100")));
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  /** Same host and port: the identity of a provider. */
  public boolean sameAddress(Endpoint other) {
    return host.equals(other.host) && port == other.port;
  }
}
