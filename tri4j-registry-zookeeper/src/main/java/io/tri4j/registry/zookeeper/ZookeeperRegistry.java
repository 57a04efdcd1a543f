package io.tri4j.registry.zookeeper;

import io.tri4j.RegistryConfig;
import io.tri4j.ServiceConfig;
import io.tri4j.registry.Endpoint;
import io.tri4j.registry.Registry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Registry} on ZooKeeper, in Apache Dubbo's layouts, so Dubbo consumers find tri4j
 * providers and tri4j clients find Dubbo providers. At interface level each provider is an
 * ephemeral node {@code /<root>/<interface>/providers/<URL-encoded tri://host:port/...>}; at
 * application level (Dubbo 3) see {@link InstanceRegistrar}. {@link RegisterMode} chooses.
 *
 * <p>Registrations last as long as the ZooKeeper session; after a lost session they are written
 * again once the client reconnects. Subscriptions follow the children of the providers node.
 *
 * <p>By default ZooKeeper must answer within the connect timeout or the registry fails to open;
 * with {@code check=false} it opens at once and registers and subscribes once ZooKeeper answers
 * (see {@link ConnectionGate}).
 */
final class ZookeeperRegistry implements Registry {
  private static final Logger log = LoggerFactory.getLogger(ZookeeperRegistry.class);

  private final CuratorFramework client;
  private final String root;
  private final String description;

  private final RegisterMode mode;
  private final EphemeralNodes nodes;
  private final InstanceRegistrar instances;
  private final List<ServiceConfig> services;

  private final List<CuratorCache> caches = new CopyOnWriteArrayList<>();
  private final List<ApplicationSubscription> appSubscriptions = new CopyOnWriteArrayList<>();
  private final MigrationStep migration;
  private final MetadataReader metadata;

  /** With {@code check=false}: what waits for ZooKeeper's first answer; else null. */
  private final ConnectionGate gate;

  private record Registration(String service, Endpoint endpoint) {}

  ZookeeperRegistry(RegistryConfig config) {
    this.description = config.toString(); // without the password
    this.root = "/" + config.parameter("group", "dubbo");
    int sessionMillis = millis(config, "session", 60_000);
    int connectMillis = millis(config, "timeout", 5_000);
    boolean check = check(config);
    // An ensemble is written as a list (zookeeper://a:2181,b:2181) or, as Dubbo writes it, with
    // the other members in a backup parameter (zookeeper://a:2181?backup=b:2181,c:2181).
    String backup = config.parameter("backup", "");
    String connectString = backup.isEmpty() ? config.address() : config.address() + "," + backup;
    CuratorFrameworkFactory.Builder builder =
        CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .sessionTimeoutMs(sessionMillis)
            .connectionTimeoutMs(connectMillis)
            .retryPolicy(new ExponentialBackoffRetry(200, 10, 2000));
    String username = config.parameter("username", null);
    if (username != null) {
      String password = config.parameter("password", "");
      builder.authorization("digest", (username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
    this.mode = RegisterMode.of(config);
    this.migration = MigrationStep.of(config);
    MetadataStorage storage = MetadataStorage.of(config);
    client = builder.build();
    nodes = new EphemeralNodes(client, description);
    instances = new InstanceRegistrar(client, root, nodes, storage, description);
    metadata = new MetadataReader(client, root, connectMillis);
    services =
        mode.instanceLevel() && storage == MetadataStorage.LOCAL
            ? List.of(
                MetadataService.config(
                    config.parameter("application", "tri4j"), instances::metadata))
            : List.of();
    if (!check) {
      gate = new ConnectionGate(client, connectString, connectMillis);
      client.start();
      return;
    }
    gate = null;
    client.start();
    try {
      if (!client.blockUntilConnected(connectMillis, TimeUnit.MILLISECONDS)) {
        client.close();
        throw new IllegalStateException(
            "Could not connect to ZooKeeper at "
                + connectString
                + " within "
                + connectMillis
                + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      client.close();
      throw new IllegalStateException("Interrupted connecting to ZooKeeper", e);
    }
  }

  /** A positive number of milliseconds from parameter {@code name}, or {@code fallback}. */
  private static int millis(RegistryConfig config, String name, int fallback) {
    String value = config.parameter(name, "");
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      int millis = Integer.parseInt(value.trim());
      if (millis > 0) {
        return millis;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalArgumentException(
        "Bad value '"
            + value
            + "' for parameter "
            + name
            + " in registry URL 'zookeeper://"
            + config.address()
            + "': expected a positive number of milliseconds");
  }

  /** Parameter {@code check}: whether ZooKeeper must answer for the registry to open. */
  private static boolean check(RegistryConfig config) {
    String value = config.parameter("check", "true").trim();
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException(
        "Bad value '"
            + value
            + "' for parameter check in registry URL 'zookeeper://"
            + config.address()
            + "': use true or false");
  }

  private String providers(String service) {
    return root + "/" + service + "/providers";
  }

  @Override
  public void register(String service, Endpoint endpoint) {
    if (gate == null) {
      write(service, endpoint);
    } else {
      gate.runOrWait(new Registration(service, endpoint), () -> write(service, endpoint));
    }
  }

  private void write(String service, Endpoint endpoint) {
    if (mode.interfaceLevel()) {
      nodes.put(providers(service) + "/" + ProviderUrl.encode(service, endpoint), new byte[0]);
    }
    if (mode.instanceLevel()) {
      instances.register(service, endpoint);
    }
  }

  @Override
  public List<ServiceConfig> services() {
    return services;
  }

  @Override
  public void unregister(String service, Endpoint endpoint) {
    if (gate == null) {
      erase(service, endpoint);
    } else if (!gate.withdraw(new Registration(service, endpoint))) {
      // Written already, or being written: undone after it.
      gate.runOrWait(null, () -> erase(service, endpoint));
    }
  }

  private void erase(String service, Endpoint endpoint) {
    if (mode.interfaceLevel()) {
      nodes.delete(providers(service) + "/" + ProviderUrl.encode(service, endpoint));
    }
    if (mode.instanceLevel()) {
      instances.unregister(service, endpoint);
    }
  }

  @Override
  public AutoCloseable subscribe(String service, Consumer<List<Endpoint>> listener) {
    if (gate == null) {
      return follow(service, listener);
    }
    listener.accept(List.of()); // none known until ZooKeeper answers
    return gate.start(() -> follow(service, listener));
  }

  private AutoCloseable follow(String service, Consumer<List<Endpoint>> listener) {
    if (migration == MigrationStep.FORCE_INTERFACE) {
      return subscribeInterfaceLevel(service, listener);
    }
    MigratingListener both = new MigratingListener(migration, listener);
    List<AutoCloseable> subscriptions = new CopyOnWriteArrayList<>();
    ApplicationSubscription applicationLevel =
        new ApplicationSubscription(client, root, service, metadata, both::applicationLevel);
    subscriptions.add(applicationLevel);
    appSubscriptions.add(applicationLevel);
    AutoCloseable all =
        () -> {
          appSubscriptions.remove(applicationLevel);
          for (AutoCloseable s : subscriptions) {
            s.close();
          }
        };
    if (migration.interfaceLevel()) {
      try {
        subscriptions.add(subscribeInterfaceLevel(service, both::interfaceLevel));
      } catch (RuntimeException e) {
        applicationLevel.close();
        appSubscriptions.remove(applicationLevel);
        throw e;
      }
    }
    return all;
  }

  private AutoCloseable subscribeInterfaceLevel(String service, Consumer<List<Endpoint>> listener) {
    String path = providers(service);
    try {
      client.createContainers(path);
    } catch (Exception e) {
      throw new IllegalStateException("Could not watch " + path + " in " + description, e);
    }
    CuratorCache cache = CuratorCache.build(client, path);
    Runnable publish = () -> listener.accept(read(path));
    cache.listenable().addListener((type, oldData, data) -> publish.run());
    cache.start();
    caches.add(cache);
    publish.run();
    return () -> {
      caches.remove(cache);
      cache.close();
    };
  }

  /** The tri:// providers listed under {@code path} now. */
  private List<Endpoint> read(String path) {
    List<Endpoint> endpoints = new ArrayList<>();
    try {
      for (String child : client.getChildren().forPath(path)) {
        Endpoint e = ProviderUrl.decode(child);
        if (e != null && !"false".equals(e.parameters().get("enabled"))) {
          endpoints.add(e);
        }
      }
    } catch (KeeperException.NoNodeException e) {
      // No providers yet.
    } catch (org.apache.curator.framework.api.CuratorClosedException e) {
      // The registry is closing: a watcher fired on the way out has nothing to update.
      log.debug("Not reading the providers under {}: the registry is closed", path);
    } catch (Exception e) {
      log.warn("Could not read the providers under {}", path, e);
    }
    return endpoints;
  }

  @Override
  public void close() {
    if (gate != null) {
      gate.close();
    }
    caches.forEach(CuratorCache::close);
    caches.clear();
    appSubscriptions.forEach(ApplicationSubscription::close);
    appSubscriptions.clear();
    metadata.close();
    nodes.clear();
    client.close(); // the session ends: its ephemeral registrations go with it
  }
}
