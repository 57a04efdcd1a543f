package io.tri4j.registry;

import io.tri4j.RegistryConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A registry that lives in this JVM ({@code memory://name}): every registry opened with the same
 * name shares the same providers. For tests of clustering without a ZooKeeper.
 */
public final class InMemoryRegistry implements Registry {
  private static final Map<String, Shared> NAMED = new ConcurrentHashMap<>();

  /** The providers of each service, and who watches them. */
  private static final class Shared {
    final Map<String, List<Endpoint>> providers = new ConcurrentHashMap<>();
    final Map<String, List<Consumer<List<Endpoint>>>> watchers = new ConcurrentHashMap<>();

    synchronized void changed(String service) {
      List<Endpoint> now = List.copyOf(providers.getOrDefault(service, List.of()));
      for (Consumer<List<Endpoint>> watcher : watchers.getOrDefault(service, List.of())) {
        watcher.accept(now);
      }
    }
  }

  private final Shared shared;
  private final List<Runnable> mine = new ArrayList<>();

  InMemoryRegistry(String name) {
    this.shared = NAMED.computeIfAbsent(name, n -> new Shared());
  }

  @Override
  public void register(String service, Endpoint endpoint) {
    shared.providers.computeIfAbsent(service, s -> new CopyOnWriteArrayList<>()).add(endpoint);
    synchronized (mine) {
      mine.add(() -> unregister(service, endpoint));
    }
    shared.changed(service);
  }

  @Override
  public void unregister(String service, Endpoint endpoint) {
    List<Endpoint> list = shared.providers.get(service);
    if (list != null && list.remove(endpoint)) {
      shared.changed(service);
    }
  }

  @Override
  public AutoCloseable subscribe(String service, Consumer<List<Endpoint>> listener) {
    shared.watchers.computeIfAbsent(service, s -> new CopyOnWriteArrayList<>()).add(listener);
    listener.accept(List.copyOf(shared.providers.getOrDefault(service, List.of())));
    return () -> shared.watchers.get(service).remove(listener);
  }

  @Override
  public void close() {
    List<Runnable> all;
    synchronized (mine) {
      all = new ArrayList<>(mine);
      mine.clear();
    }
    all.forEach(Runnable::run);
  }

  /** Found by ServiceLoader for {@code memory://}. */
  public static final class Factory implements RegistryFactory {
    @Override
    public boolean supports(String scheme) {
      return scheme.equals("memory");
    }

    @Override
    public Registry create(RegistryConfig config) {
      return new InMemoryRegistry(config.address());
    }
  }
}
