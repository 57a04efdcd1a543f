package io.tri4j.registry.zookeeper;

import io.tri4j.RegistryConfig;
import java.util.Locale;
import java.util.Map;

/**
 * Where consumers find the metadata of an application instance (the services behind its revision):
 * parameter {@code metadata-type}, named as in Dubbo 3.
 */
enum MetadataStorage {
  /** In ZooKeeper, at {@code /dubbo/metadata/<app>/<revision>}: no call to the provider. */
  REMOTE;

  /** As {@code dubbo.metadata.storage-type} names it. */
  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** What else the instance node says for this storage type. */
  Map<String, String> instanceMetadata(int port) {
    return Map.of();
  }

  /**
   * The storage type a registry URL asks for; {@code remote} by default.
   *
   * @throws IllegalArgumentException for an unknown type
   */
  static MetadataStorage of(RegistryConfig config) {
    String value = config.parameter("metadata-type", "remote");
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Bad value '"
              + value
              + "' for parameter metadata-type in registry URL 'zookeeper://"
              + config.address()
              + "': use remote");
    }
  }
}
