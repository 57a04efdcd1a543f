package io.tri4j.registry.zookeeper;

import io.tri4j.registry.Endpoint;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hears the providers of a service at both levels and passes on those its {@link MigrationStep}
 * chooses, each time either level changes.
 */
final class MigratingListener {
  private final MigrationStep step;
  private final Consumer<List<Endpoint>> listener;
  private List<Endpoint> interfaceLevel = List.of();
  private List<Endpoint> applicationLevel = List.of();

  MigratingListener(MigrationStep step, Consumer<List<Endpoint>> listener) {
    this.step = step;
    this.listener = listener;
  }

  synchronized void interfaceLevel(List<Endpoint> providers) {
    interfaceLevel = List.copyOf(providers);
    listener.accept(step.choose(interfaceLevel, applicationLevel));
  }

  synchronized void applicationLevel(List<Endpoint> providers) {
    applicationLevel = List.copyOf(providers);
    listener.accept(step.choose(interfaceLevel, applicationLevel));
  }
}
