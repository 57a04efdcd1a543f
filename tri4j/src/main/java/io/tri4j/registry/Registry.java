package io.tri4j.registry;

import io.tri4j.ServiceConfig;
import java.util.List;
import java.util.function.Consumer;

/**
 * A service registry, as an implementation sees it. tri4j's {@code Server} registers its services
 * through it; tri4j's {@code Client} subscribes to the providers of the service it calls.
 * Implementations are found with {@link RegistryFactory}.
 */
public interface Registry extends AutoCloseable {

  /**
   * Registers {@code endpoint} as a provider of {@code service} for as long as this registry is
   * open (and again after the registry recovers from a lost session).
   */
  void register(String service, Endpoint endpoint);

  /** Removes a registration made by {@link #register}. */
  void unregister(String service, Endpoint endpoint);

  /**
   * Calls {@code listener} with the providers of {@code service} now and each time they change;
   * closing the returned handle stops it.
   */
  AutoCloseable subscribe(String service, Consumer<List<Endpoint>> listener);

  /**
   * Services that a server registering here serves on each of its ports beside its own, such as
   * Apache Dubbo's MetadataService, which application-level consumers call to learn what a provider
   * serves. Their hosts and ports are ignored; a server's own service of the same name, version and
   * group wins. Asked once, before the server binds; none by default.
   */
  default List<ServiceConfig> services() {
    return List.of();
  }

  @Override
  void close();
}
