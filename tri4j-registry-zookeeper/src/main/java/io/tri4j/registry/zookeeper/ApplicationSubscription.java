package io.tri4j.registry.zookeeper;

import io.tri4j.registry.Endpoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the providers of one service at application level, as a Dubbo 3 consumer does: the
 * applications in the service's mapping node, the instances of each under {@code /services/<app>},
 * and the metadata behind each instance's revision, which says whether (and on which port, with
 * which version and group) the instance serves the service over {@code tri}.
 *
 * <p>Nodes that other tools wrote and that are not such instances or metadata are skipped, with one
 * warning each.
 */
final class ApplicationSubscription implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApplicationSubscription.class);

  private final CuratorFramework client;
  private final String service;
  private final String mappingPath;
  private final MetadataReader metadata;
  private final Consumer<List<Endpoint>> listener;
  private final CuratorCache mapping;

  /** The instances node of each application in the mapping, watched. Guarded by this. */
  private final Map<String, CuratorCache> applications = new LinkedHashMap<>();

  /** What has been warned about already: a node's path and version, or a revision. */
  private final Set<String> warned = new HashSet<>();

  private boolean closed;

  ApplicationSubscription(
      CuratorFramework client,
      String root,
      String service,
      MetadataReader metadata,
      Consumer<List<Endpoint>> listener) {
    this.client = client;
    this.service = service;
    this.mappingPath = root + "/mapping/" + service;
    this.metadata = metadata;
    this.listener = listener;
    mapping = CuratorCache.build(client, mappingPath, CuratorCache.Options.SINGLE_NODE_CACHE);
    mapping.listenable().addListener((type, oldData, data) -> refresh());
    mapping.start();
    refresh();
  }

  /** Reads the mapping, the instances and their metadata again, and passes the providers on. */
  private synchronized void refresh() {
    if (closed) {
      return;
    }
    Set<String> apps = readMapping();
    applications
        .keySet()
        .removeIf(
            app -> {
              if (apps.contains(app)) {
                return false;
              }
              applications.get(app).close();
              return true;
            });
    for (String app : apps) {
      applications.computeIfAbsent(app, this::watch);
    }
    List<Endpoint> providers = new ArrayList<>();
    for (String app : applications.keySet()) {
      readInstances(app, providers);
    }
    listener.accept(providers);
  }

  private CuratorCache watch(String app) {
    CuratorCache cache = CuratorCache.build(client, InstanceRegistrar.SERVICES + "/" + app);
    cache.listenable().addListener((type, oldData, data) -> refresh());
    cache.start();
    return cache;
  }

  private Set<String> readMapping() {
    try {
      return InstanceRegistrar.applications(client.getData().forPath(mappingPath));
    } catch (KeeperException.NoNodeException e) {
      return Set.of();
    } catch (Exception e) {
      warnOnce("mapping " + e, "Could not read {}: {}", mappingPath, e.toString());
      return Set.of();
    }
  }

  private void readInstances(String app, List<Endpoint> providers) {
    String parent = InstanceRegistrar.SERVICES + "/" + app;
    List<String> children;
    try {
      children = client.getChildren().forPath(parent);
    } catch (KeeperException.NoNodeException e) {
      return;
    } catch (Exception e) {
      warnOnce(parent + " " + e, "Could not read the instances under {}: {}", parent, e.toString());
      return;
    }
    for (String child : children) {
      String path = parent + "/" + child;
      Stat stat = new Stat();
      byte[] data;
      try {
        data = client.getData().storingStatIn(stat).forPath(path);
      } catch (KeeperException.NoNodeException e) {
        continue; // left meanwhile
      } catch (Exception e) {
        warnOnce(path + " " + e, "Could not read {}: {}", path, e.toString());
        continue;
      }
      InstanceNode instance;
      try {
        instance = InstanceNode.parse(data);
      } catch (IllegalArgumentException e) {
        warnOnce(
            path + "@" + stat.getMzxid(),
            "Skipping {}: not a Dubbo service instance ({})",
            path,
            e.getMessage());
        continue;
      }
      ApplicationMetadata services;
      try {
        services = metadata.read(instance);
      } catch (IllegalStateException e) {
        warnOnce(
            path + "@" + stat.getMzxid(),
            "Skipping {}: cannot learn its services, {}",
            path,
            e.getMessage());
        continue;
      }
      addProviders(instance, services, providers);
    }
  }

  /** The instance as a provider of each version and group of the service it serves over tri. */
  private void addProviders(
      InstanceNode instance, ApplicationMetadata services, List<Endpoint> providers) {
    for (ServiceInfo s : services.services()) {
      if (!service.equals(s.name()) || !"tri".equals(s.protocol())) {
        continue;
      }
      Map<String, String> parameters = new LinkedHashMap<>(s.params());
      putOrRemove(parameters, "version", s.version());
      putOrRemove(parameters, "group", s.group());
      // Dubbo warms a provider up from its instance's start, not from its service's.
      putOrRemove(parameters, "timestamp", instance.metadata().get(InstanceNode.TIMESTAMP));
      int port = s.port() > 0 ? s.port() : instance.port("tri");
      providers.add(new Endpoint(instance.host(), port, parameters));
    }
  }

  private static void putOrRemove(Map<String, String> map, String key, String value) {
    if (value == null || value.isEmpty()) {
      map.remove(key);
    } else {
      map.put(key, value);
    }
  }

  private void warnOnce(String key, String format, Object... arguments) {
    if (warned.add(key)) {
      log.warn(format, arguments);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    mapping.close();
    applications.values().forEach(CuratorCache::close);
    applications.clear();
  }
}
