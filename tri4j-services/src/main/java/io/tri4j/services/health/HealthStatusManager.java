package io.tri4j.services.health;

import io.tri4j.ResponseObserver;
import io.tri4j.RpcServiceHandler;
import io.tri4j.Status;
import io.tri4j.StatusException;
import io.tri4j.services.health.v1.HealthCheckResponse;
import io.tri4j.services.health.v1.HealthCheckResponse.ServingStatus;
import io.tri4j.services.health.v1.HealthTri4j;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The serving status of a server and its services, and the gRPC health service ({@code
 * grpc.health.v1.Health}) that reports it to load balancers, orchestrators and gRPC's tools:
 *
 * <pre>{@code
 * HealthStatusManager health = new HealthStatusManager();
 * Server server = new Server(
 *     new ServiceConfig(GreeterTri4j.serviceHandler(new GreeterImpl())),
 *     new ServiceConfig(health.serviceHandler()));
 * health.setStatus(GreeterTri4j.SERVICE_NAME, ServingStatus.SERVING);
 * }</pre>
 *
 * <p>The service named {@value #SERVICE_NAME_ALL_SERVICES} (the empty name) stands for the whole
 * server; it is {@code SERVING} from the start. Other services are unknown until the application
 * sets their status: {@code Check} answers {@code NOT_FOUND} for them, {@code Watch} sends {@code
 * SERVICE_UNKNOWN} and waits for a status, as gRPC's health protocol specifies.
 *
 * <h2>Shutdown</h2>
 *
 * Register {@link #enterTerminalState()} as the server's shutdown listener ({@code
 * server.addShutdownListener(health::enterTerminalState)}), or call it before {@link
 * io.tri4j.Server#shutdown()}: every service turns {@code NOT_SERVING} at once, so that clients and
 * balancers move away while the calls in progress drain, and later status changes are ignored.
 *
 * <p>Safe for concurrent use.
 */
public final class HealthStatusManager {
  /** The name that stands for the whole server. */
  public static final String SERVICE_NAME_ALL_SERVICES = "";

  /** The most services {@code List} reports; beyond, it fails with {@code RESOURCE_EXHAUSTED}. */
  static final int MAX_LISTED_SERVICES = 100;

  private final Map<String, ServingStatus> statuses = new HashMap<>();
  private final Map<String, Set<ResponseObserver<HealthCheckResponse>>> watchers = new HashMap<>();
  private boolean terminal;
  private final RpcServiceHandler serviceHandler;

  /** A manager whose server is {@code SERVING} and whose services are unknown. */
  public HealthStatusManager() {
    statuses.put(SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    serviceHandler = HealthTri4j.serviceHandler(new HealthService(this));
  }

  /** The health service, for a {@link io.tri4j.ServiceConfig} of the server it reports on. */
  public RpcServiceHandler serviceHandler() {
    return serviceHandler;
  }

  /**
   * Sets the status of {@code service} (its full name, as in the request path; {@value
   * #SERVICE_NAME_ALL_SERVICES} for the server) and tells its watchers if it changed. Ignored after
   * {@link #enterTerminalState()}.
   *
   * @throws IllegalArgumentException if {@code status} is {@code SERVICE_UNKNOWN} or unrecognized:
   *     use {@link #clearStatus} to make a service unknown
   */
  public void setStatus(String service, ServingStatus status) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(status, "status");
    if (status == ServingStatus.SERVICE_UNKNOWN || status == ServingStatus.UNRECOGNIZED) {
      throw new IllegalArgumentException(
          "A service's status is UNKNOWN, SERVING or NOT_SERVING, not "
              + status
              + ": clearStatus makes it unknown");
    }
    synchronized (this) {
      if (!terminal) {
        update(service, status);
      }
    }
  }

  /**
   * Forgets the status of {@code service}: {@code Check} answers {@code NOT_FOUND} for it again,
   * and its watchers get {@code SERVICE_UNKNOWN}. Ignored after {@link #enterTerminalState()}.
   */
  public void clearStatus(String service) {
    Objects.requireNonNull(service, "service");
    synchronized (this) {
      if (!terminal) {
        update(service, null);
      }
    }
  }

  /**
   * Turns every known service, and the server, {@code NOT_SERVING} for good: later calls of {@link
   * #setStatus} and {@link #clearStatus} are ignored. Call it when the server starts shutting down,
   * before its calls drain.
   */
  public synchronized void enterTerminalState() {
    terminal = true;
    for (String service : List.copyOf(statuses.keySet())) {
      update(service, ServingStatus.NOT_SERVING);
    }
  }

  /** The status of {@code service}, or null if unknown. */
  synchronized ServingStatus status(String service) {
    return statuses.get(service);
  }

  /**
   * The status of every known service, by name.
   *
   * @throws StatusException {@code RESOURCE_EXHAUSTED} beyond {@link #MAX_LISTED_SERVICES}
   */
  synchronized Map<String, ServingStatus> statuses() {
    if (statuses.size() > MAX_LISTED_SERVICES) {
      throw Status.RESOURCE_EXHAUSTED
          .withDescription(
              "The server knows more than "
                  + MAX_LISTED_SERVICES
                  + " services: check them one by one")
          .asException();
    }
    return new TreeMap<>(statuses);
  }

  /**
   * Sends {@code watcher} the status of {@code service} now, and again at each change until the
   * call is cancelled.
   */
  synchronized void watch(String service, ResponseObserver<HealthCheckResponse> watcher) {
    watchers.computeIfAbsent(service, s -> new LinkedHashSet<>()).add(watcher);
    watcher.setOnCancelHandler(() -> unwatch(service, watcher));
    send(watcher, statuses.get(service));
  }

  /** How many calls watch {@code service}. */
  synchronized int watcherCount(String service) {
    Set<ResponseObserver<HealthCheckResponse>> set = watchers.get(service);
    return set == null ? 0 : set.size();
  }

  private synchronized void unwatch(String service, ResponseObserver<HealthCheckResponse> watcher) {
    Set<ResponseObserver<HealthCheckResponse>> set = watchers.get(service);
    if (set != null && set.remove(watcher) && set.isEmpty()) {
      watchers.remove(service);
    }
  }

  /** Records the status ({@code null}: unknown) and tells the watchers if it changed. */
  private void update(String service, ServingStatus status) {
    ServingStatus old = status == null ? statuses.remove(service) : statuses.put(service, status);
    if (old == status) {
      return;
    }
    Set<ResponseObserver<HealthCheckResponse>> set = watchers.get(service);
    if (set == null) {
      return;
    }
    // Sent with the lock held: each watcher sees the changes in order; onNext never blocks.
    for (ResponseObserver<HealthCheckResponse> watcher : new ArrayList<>(set)) {
      send(watcher, status);
    }
  }

  private void send(ResponseObserver<HealthCheckResponse> watcher, ServingStatus status) {
    if (watcher.isCancelled()) {
      return; // its cancel handler unwatches it
    }
    try {
      watcher.onNext(
          HealthCheckResponse.newBuilder()
              .setStatus(status == null ? ServingStatus.SERVICE_UNKNOWN : status)
              .build());
    } catch (StatusException cancelledMeanwhile) {
      // its cancel handler unwatches it
    }
  }
}
