package io.tri4j.registry;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** The built-in {@link LoadBalancer}s. */
public final class LoadBalancers {
  private LoadBalancers() {}

  /** Random, weighted by each provider's {@code weight} (uniform if all weigh the same). */
  public static LoadBalancer random() {
    return (candidates, stats) -> {
      long total = 0;
      for (Endpoint e : candidates) {
        total += e.weight();
      }
      if (total <= 0) {
        return candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
      }
      long point = ThreadLocalRandom.current().nextLong(total);
      for (Endpoint e : candidates) {
        point -= e.weight();
        if (point < 0) {
          return e;
        }
      }
      return candidates.get(candidates.size() - 1);
    };
  }

  /** Each provider in turn. */
  public static LoadBalancer roundRobin() {
    AtomicLong next = new AtomicLong();
    return (candidates, stats) ->
        candidates.get((int) Math.floorMod(next.getAndIncrement(), (long) candidates.size()));
  }

  /** The provider with the fewest calls in flight; ties broken at random. */
  public static LoadBalancer leastActive() {
    return (candidates, stats) -> {
      Endpoint best = null;
      int bestActive = Integer.MAX_VALUE;
      int ties = 0;
      for (Endpoint e : candidates) {
        int active = stats.active(e);
        if (active < bestActive) {
          best = e;
          bestActive = active;
          ties = 1;
        } else if (active == bestActive && ThreadLocalRandom.current().nextInt(++ties) == 0) {
          best = e; // reservoir sampling over the tied ones
        }
      }
      return best;
    };
  }

  /**
   * Two providers at random, then the one with the lower expected wait: average latency times
   * (calls in flight + 1).
   */
  public static LoadBalancer powerOfTwoChoices() {
    return (candidates, stats) -> {
      int n = candidates.size();
      if (n == 1) {
        return candidates.get(0);
      }
      ThreadLocalRandom random = ThreadLocalRandom.current();
      int a = random.nextInt(n);
      int b = random.nextInt(n - 1);
      if (b >= a) {
        b++;
      }
      Endpoint first = candidates.get(a);
      Endpoint second = candidates.get(b);
      return score(first, stats) <= score(second, stats) ? first : second;
    };
  }

  private static double score(Endpoint e, LoadBalancer.Stats stats) {
    double latency = Math.max(1, stats.averageLatencyNanos(e));
    return latency * (stats.active(e) + 1);
  }
}
