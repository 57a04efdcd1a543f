package io.tri4j.registry.zookeeper;

import io.tri4j.registry.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Registers providers at application level, as a Dubbo 3.3 provider does: the application in the
 * mapping node of each of its services ({@code /dubbo/mapping/<interface>}, a comma-separated list
 * of applications, added to and never overwritten), one ephemeral instance node per application and
 * address ({@code /services/<app>/<host:port>}) naming the revision of the services there, and with
 * storage type {@code remote} the metadata of that revision ({@code
 * /dubbo/metadata/<app>/<revision>}). Each service registered or unregistered at an address changes
 * its revision and rewrites its instance node.
 */
final class InstanceRegistrar {
  /** Where Dubbo's ZooKeeper service discovery lists instances, whatever the registry's group. */
  static final String SERVICES = "/services";

  private final CuratorFramework client;
  private final String root;
  private final EphemeralNodes nodes;
  private final MetadataStorage storage;
  private final String description;

  /** By application and address. */
  private final Map<String, Instance> instances = new HashMap<>();

  /** One application at one address: its services by match key. */
  private record Instance(
      String app, String host, int port, String timestamp, Map<String, ServiceInfo> services) {}

  InstanceRegistrar(
      CuratorFramework client,
      String root,
      EphemeralNodes nodes,
      MetadataStorage storage,
      String description) {
    this.client = client;
    this.root = root;
    this.nodes = nodes;
    this.storage = storage;
    this.description = description;
  }

  synchronized void register(String service, Endpoint endpoint) {
    String app = application(endpoint);
    addMapping(service, app);
    Instance instance =
        instances.computeIfAbsent(
            app + "@" + endpoint.address(),
            k ->
                new Instance(
                    app,
                    endpoint.host(),
                    endpoint.port(),
                    endpoint
                        .parameters()
                        .getOrDefault("timestamp", Long.toString(System.currentTimeMillis())),
                    new TreeMap<>()));
    ServiceInfo info = serviceInfo(service, endpoint);
    instance.services().put(info.matchKey(), info);
    publish(instance);
  }

  /** The metadata of an instance registered here with {@code revision} now, or null. */
  synchronized ApplicationMetadata metadata(String revision) {
    for (Instance instance : instances.values()) {
      ApplicationMetadata metadata = metadata(instance);
      if (metadata.revision().equals(revision)) {
        return metadata;
      }
    }
    return null;
  }

  private static ApplicationMetadata metadata(Instance instance) {
    return new ApplicationMetadata(instance.app(), new ArrayList<>(instance.services().values()));
  }

  synchronized void unregister(String service, Endpoint endpoint) {
    String key = application(endpoint) + "@" + endpoint.address();
    Instance instance = instances.get(key);
    if (instance == null) {
      return;
    }
    instance.services().remove(serviceInfo(service, endpoint).matchKey());
    if (instance.services().isEmpty()) {
      instances.remove(key);
      nodes.delete(path(instance));
    } else {
      publish(instance);
    }
  }

  private static String application(Endpoint endpoint) {
    return endpoint.parameters().getOrDefault("application", "tri4j");
  }

  /**
   * The service as the metadata lists it. Its parameters are the endpoint's but for its {@code
   * timestamp}, which differs at each start: instances with the same services share a revision.
   */
  private static ServiceInfo serviceInfo(String service, Endpoint endpoint) {
    Map<String, String> params = new LinkedHashMap<>(endpoint.parameters());
    params.remove("timestamp");
    return new ServiceInfo(
        service,
        emptyToNull(params.get("group")),
        emptyToNull(params.get("version")),
        "tri",
        endpoint.port(),
        service,
        params);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String path(Instance instance) {
    return SERVICES
        + "/"
        + instance.app()
        + "/"
        + new InstanceNode(instance.app(), instance.host(), instance.port(), Map.of()).id();
  }

  /** Writes the instance node, and the metadata first where consumers read it from ZooKeeper. */
  private void publish(Instance instance) {
    ApplicationMetadata metadata = metadata(instance);
    String revision = metadata.revision();
    if (storage == MetadataStorage.REMOTE) {
      writeMetadata(instance.app(), revision, metadata.toJson());
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(InstanceNode.ENDPOINTS, InstanceNode.endpoints(instance.port()));
    meta.put(InstanceNode.REVISION, revision);
    meta.put(InstanceNode.STORAGE_TYPE, storage.wireName());
    meta.put(InstanceNode.TIMESTAMP, instance.timestamp());
    meta.putAll(storage.instanceMetadata(instance.port()));
    InstanceNode node = new InstanceNode(instance.app(), instance.host(), instance.port(), meta);
    nodes.put(path(instance), node.toJson(System.currentTimeMillis()));
  }

  private void writeMetadata(String app, String revision, String json) {
    String path = root + "/metadata/" + app + "/" + revision;
    try {
      client
          .create()
          .creatingParentsIfNeeded()
          .forPath(path, json.getBytes(StandardCharsets.UTF_8));
    } catch (KeeperException.NodeExistsException e) {
      // Another instance with the same services wrote it: the same content.
    } catch (Exception e) {
      throw new IllegalStateException("Could not write " + path + " in " + description, e);
    }
  }

  /** Adds {@code app} to the applications of {@code service}, keeping the others there. */
  private void addMapping(String service, String app) {
    String path = root + "/mapping/" + service;
    try {
      while (true) {
        Stat stat = new Stat();
        byte[] data;
        try {
          data = client.getData().storingStatIn(stat).forPath(path);
        } catch (KeeperException.NoNodeException e) {
          try {
            client.create().creatingParentsIfNeeded().forPath(path, bytes(app));
            return;
          } catch (KeeperException.NodeExistsException raced) {
            continue;
          }
        }
        Set<String> apps = applications(data);
        if (apps.contains(app)) {
          return;
        }
        List<String> merged = new ArrayList<>(apps);
        merged.add(app);
        try {
          client
              .setData()
              .withVersion(stat.getVersion())
              .forPath(path, bytes(String.join(",", merged)));
          return;
        } catch (KeeperException.BadVersionException raced) {
          // Another provider changed it meanwhile: merge again.
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("Could not write " + path + " in " + description, e);
    }
  }

  /** The application names in a mapping node, in order, without blanks. */
  static Set<String> applications(byte[] data) {
    if (data == null) {
      return Set.of();
    }
    return Arrays.stream(new String(data, StandardCharsets.UTF_8).split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
