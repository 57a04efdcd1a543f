package io.tri4j.registry.zookeeper;

import io.tri4j.Client;
import io.tri4j.ClientResources;
import io.tri4j.ReferenceConfig;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Reads the metadata behind an instance's revision: from ZooKeeper for storage type {@code remote},
 * else from the instance's {@link MetadataService}. A revision's metadata never changes, so each is
 * read once.
 */
final class MetadataReader implements AutoCloseable {
  private final CuratorFramework client;
  private final String root;
  private final int timeoutMillis;
  private final Map<String, ApplicationMetadata> byRevision = new ConcurrentHashMap<>();
  private ClientResources resources;

  MetadataReader(CuratorFramework client, String root, int timeoutMillis) {
    this.client = client;
    this.root = root;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * The metadata of {@code instance}'s revision.
   *
   * @throws IllegalStateException if it cannot be read, saying why
   */
  ApplicationMetadata read(InstanceNode instance) {
    String revision = instance.metadata().get(InstanceNode.REVISION);
    if (revision == null
        || revision.isEmpty()
        || revision.equals(ApplicationMetadata.EMPTY_REVISION)) {
      throw new IllegalStateException("it names no revision");
    }
    String key = instance.app() + "/" + revision;
    ApplicationMetadata known = byRevision.get(key);
    if (known != null) {
      return known;
    }
    ApplicationMetadata read =
        "remote".equals(instance.metadata().get(InstanceNode.STORAGE_TYPE))
            ? readRemote(instance.app(), revision)
            : readLocal(instance, revision);
    byRevision.put(key, read);
    return read;
  }

  private ApplicationMetadata readRemote(String app, String revision) {
    String path = root + "/metadata/" + app + "/" + revision;
    byte[] data;
    try {
      data = client.getData().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      throw new IllegalStateException(path + " does not exist");
    } catch (Exception e) {
      throw new IllegalStateException("could not read " + path + ": " + e);
    }
    try {
      return ApplicationMetadata.fromJson(new String(data, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(path + " holds " + e.getMessage());
    }
  }

  /** Calls the instance's MetadataServiceV2, as a Dubbo consumer does. */
  private ApplicationMetadata readLocal(InstanceNode instance, String revision) {
    ReferenceConfig reference =
        ReferenceConfig.fromUrl(
            "tri://"
                + instance.id()
                + "/"
                + MetadataService.NAME
                + "?version="
                + MetadataService.VERSION
                + "&group="
                + instance.app()
                + "&timeout="
                + timeoutMillis);
    try (Client metadataClient = new Client(reference, resources())) {
      return metadataClient
          .unary(MetadataService.METHOD, MetadataProto::encodeRequest, MetadataProto::decodeInfo)
          .call(revision);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "its MetadataService at " + instance.id() + " failed: " + e.getMessage());
    }
  }

  private synchronized ClientResources resources() {
    if (resources == null) {
      resources = ClientResources.create();
    }
    return resources;
  }

  @Override
  public synchronized void close() {
    if (resources != null) {
      resources.close();
    }
  }
}
