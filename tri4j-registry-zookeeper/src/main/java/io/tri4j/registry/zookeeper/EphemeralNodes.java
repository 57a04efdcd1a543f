package io.tri4j.registry.zookeeper;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ephemeral nodes this registry wrote (the registrations), remembered with their content so
 * that they are written again after a lost session takes them with it.
 */
final class EphemeralNodes {
  private static final Logger log = LoggerFactory.getLogger(EphemeralNodes.class);

  private final CuratorFramework client;
  private final String description;
  private final Map<String, byte[]> written = new ConcurrentHashMap<>();

  EphemeralNodes(CuratorFramework client, String description) {
    this.client = client;
    this.description = description;
    client.getConnectionStateListenable().addListener(this::stateChanged);
  }

  /**
   * Creates the node at {@code path} holding {@code data}, or replaces its content.
   *
   * @throws IllegalStateException if ZooKeeper refuses
   */
  void put(String path, byte[] data) {
    written.put(path, data);
    try {
      try {
        client
            .create()
            .creatingParentContainersIfNeeded()
            .withMode(CreateMode.EPHEMERAL)
            .forPath(path, data);
      } catch (KeeperException.NodeExistsException e) {
        // Ours already (a reconnect raced us, or new content): make it hold the latest.
        if (!Arrays.equals(client.getData().forPath(path), data)) {
          client.setData().forPath(path, data);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("Could not register " + path + " in " + description, e);
    }
  }

  /** Deletes a node written with {@link #put}; a failure is logged, the session ends it anyway. */
  void delete(String path) {
    written.remove(path);
    try {
      client.delete().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      // Gone already.
    } catch (Exception e) {
      log.warn("Could not unregister {} from {}: {}", path, description, e.toString());
    }
  }

  /** Forgets every node; closing the client ends the session and the nodes with it. */
  void clear() {
    written.clear();
  }

  /** After a lost session, the ephemeral nodes are gone: write every one again. */
  private void stateChanged(CuratorFramework c, ConnectionState state) {
    if (state == ConnectionState.RECONNECTED) {
      written.forEach(
          (path, data) -> {
            try {
              if (client.checkExists().forPath(path) == null) {
                put(path, data);
                log.info("Registered {} again after a lost ZooKeeper session", path);
              }
            } catch (Exception e) {
              log.warn("Could not register {} again: {}", path, e.toString());
            }
          });
    }
  }
}
