package io.tri4j.registry;

import java.util.List;
import java.util.Locale;

/**
 * Picks the provider for each call among those a registry lists. Chosen by the {@code loadbalance}
 * parameter ({@code random}, the default and weighted by each provider's {@code weight}; {@code
 * roundrobin}; {@code leastactive}; {@code p2c}, power of two choices on a latency average); users
 * may write their own.
 *
 * <p>Called from many threads at once.
 */
@FunctionalInterface
public interface LoadBalancer {

  /** What the client knows of each provider's load. */
  interface Stats {
    /** Calls to {@code endpoint} in flight now. */
    int active(Endpoint endpoint);

    /**
     * An exponentially weighted average of the latency of its calls, in nanoseconds (0 if none).
     */
    double averageLatencyNanos(Endpoint endpoint);
  }

  /** Picks one of {@code candidates}, which is never empty. */
  Endpoint pick(List<Endpoint> candidates, Stats stats);

  /**
   * The built-in balancer called {@code name}.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  static LoadBalancer named(String name) {
    switch (name == null ? "random" : name.toLowerCase(Locale.ROOT)) {
      case "random":
        return LoadBalancers.random();
      case "roundrobin":
        return LoadBalancers.roundRobin();
      case "leastactive":
        return LoadBalancers.leastActive();
      case "p2c":
      case "shortestresponse":
        return LoadBalancers.powerOfTwoChoices();
      default:
        throw new IllegalArgumentException(
            "Unknown loadbalance '" + name + "': use random, roundrobin, leastactive or p2c");
    }
  }
}
