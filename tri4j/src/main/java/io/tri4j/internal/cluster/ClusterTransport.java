package io.tri4j.internal.cluster;

import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.Status;
import io.tri4j.internal.call.ClientStream;
import io.tri4j.internal.call.ClientStreamListener;
import io.tri4j.internal.call.ClientTransport;
import io.tri4j.internal.call.CloseOrigin;
import io.tri4j.internal.call.Deadline;
import io.tri4j.internal.call.FailedClientStream;
import io.tri4j.internal.call.ForwardingClientStreamListener;
import io.tri4j.internal.codec.Compression;
import io.tri4j.registry.Endpoint;
import io.tri4j.registry.LoadBalancer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls to a set of providers that changes as a registry reports: one connection per provider, a
 * {@link LoadBalancer} to pick one per call, and the load statistics it weighs. A provider that
 * fails a call with {@code UNAVAILABLE} before answering is passed over for a moment, so a retry
 * goes elsewhere.
 */
public final class ClusterTransport implements ClientTransport, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterTransport.class);

  /** How long a provider that just refused a call is passed over. */
  static final long SUSPECT_NANOS = TimeUnit.SECONDS.toNanos(2);

  /** Weight of the newest latency in the average. */
  static final double EWMA_ALPHA = 0.3;

  /** One provider and what the client knows of it. */
  private static final class Member {
    final Endpoint endpoint;
    final ClientTransport transport;
    final AtomicInteger active = new AtomicInteger();
    volatile double latencyNanos;
    volatile long suspectUntil;

    Member(Endpoint endpoint, ClientTransport transport) {
      this.endpoint = endpoint;
      this.transport = transport;
    }
  }

  private final String description;
  private final LoadBalancer balancer;
  private final Function<Endpoint, ClientTransport> connector;
  private final Map<String, Member> members = new ConcurrentHashMap<>();
  private volatile List<Endpoint> endpoints = List.of();
  private boolean closed; // guarded by this
  private final LoadBalancer.Stats stats =
      new LoadBalancer.Stats() {
        @Override
        public int active(Endpoint endpoint) {
          Member m = members.get(endpoint.address());
          return m == null ? 0 : m.active.get();
        }

        @Override
        public double averageLatencyNanos(Endpoint endpoint) {
          Member m = members.get(endpoint.address());
          return m == null ? 0 : m.latencyNanos;
        }
      };

  /**
   * @param description what the providers are, for errors (the service and the registry)
   * @param connector makes the transport to one provider
   */
  public ClusterTransport(
      String description, LoadBalancer balancer, Function<Endpoint, ClientTransport> connector) {
    this.description = description;
    this.balancer = balancer;
    this.connector = connector;
  }

  /** The providers now; calls go to these from here on. */
  public synchronized void update(List<Endpoint> providers) {
    if (closed) {
      return; // a registry's news that raced the client's close: take no connections
    }
    List<Endpoint> next = List.copyOf(providers);
    for (Endpoint e : next) {
      members.computeIfAbsent(e.address(), a -> new Member(e, connector.apply(e)));
    }
    for (Member m : new ArrayList<>(members.values())) {
      if (next.stream().noneMatch(e -> e.sameAddress(m.endpoint))) {
        members.remove(m.endpoint.address());
        retire(m);
      }
    }
    endpoints = next;
    log.debug("Providers of {}: {}", description, next);
  }

  /** Closes a removed provider's connection once its calls are done, off the caller's thread. */
  private static void retire(Member m) {
    if (m.transport instanceof AutoCloseable closeable) {
      Thread closer =
          new Thread(
              () -> {
                try {
                  closeable.close();
                } catch (Exception e) {
                  log.debug("Closing a removed provider failed", e);
                }
              },
              "tri4j-retire-" + m.endpoint.address());
      closer.setDaemon(true);
      closer.start();
    }
  }

  @Override
  public ClientStream newStream(
      MethodInfo method, Metadata headers, Deadline deadline, Compression compression) {
    Member member = pick();
    if (member == null) {
      return new FailedClientStream(
          Status.UNAVAILABLE.withDescription("No providers of " + description + " are registered"));
    }
    ClientStream stream = member.transport.newStream(method, headers, deadline, compression);
    return new TrackedStream(stream, member);
  }

  private Member pick() {
    List<Endpoint> all = endpoints;
    if (all.isEmpty()) {
      return null;
    }
    long now = System.nanoTime();
    List<Endpoint> healthy = new ArrayList<>(all.size());
    for (Endpoint e : all) {
      Member m = members.get(e.address());
      if (m != null && m.suspectUntil - now <= 0) {
        healthy.add(e);
      }
    }
    List<Endpoint> candidates = healthy.isEmpty() ? all : healthy;
    Endpoint chosen = balancer.pick(candidates, stats);
    return chosen == null ? null : members.get(chosen.address());
  }

  @Override
  public synchronized void close() {
    closed = true;
    for (Member m : members.values()) {
      if (m.transport instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          log.debug("Closing a provider's connection failed", e);
        }
      }
    }
    members.clear();
    endpoints = List.of();
  }

  /** A stream whose start and end feed the provider's statistics. */
  private static final class TrackedStream implements ClientStream {
    private final ClientStream delegate;
    private final Member member;

    TrackedStream(ClientStream delegate, Member member) {
      this.delegate = delegate;
      this.member = member;
    }

    @Override
    public void start(ClientStreamListener listener) {
      long started = System.nanoTime();
      member.active.incrementAndGet();
      delegate.start(
          new ForwardingClientStreamListener() {
            private boolean answered;

            @Override
            protected ClientStreamListener delegate() {
              return listener;
            }

            @Override
            public void onHeaders(Metadata headers) {
              answered = true;
              listener.onHeaders(headers);
            }

            @Override
            public void onTrailers(Status status, Metadata trailers) {
              answered = true;
              listener.onTrailers(status, trailers);
            }

            @Override
            public void onClose(Status status, Metadata trailers, CloseOrigin origin) {
              member.active.decrementAndGet();
              long elapsed = System.nanoTime() - started;
              double previous = member.latencyNanos;
              member.latencyNanos =
                  previous == 0 ? elapsed : EWMA_ALPHA * elapsed + (1 - EWMA_ALPHA) * previous;
              if (status.code() == Status.Code.UNAVAILABLE && !answered) {
                member.suspectUntil = System.nanoTime() + SUSPECT_NANOS;
              }
              listener.onClose(status, trailers, origin);
            }
          });
    }

    @Override
    public void request(int n) {
      delegate.request(n);
    }

    @Override
    public void writeMessage(io.tri4j.internal.codec.OutboundMessage message, boolean endOfStream) {
      delegate.writeMessage(message, endOfStream);
    }

    @Override
    public void halfClose() {
      delegate.halfClose();
    }

    @Override
    public void cancel(Status status) {
      delegate.cancel(status);
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }
  }
}
