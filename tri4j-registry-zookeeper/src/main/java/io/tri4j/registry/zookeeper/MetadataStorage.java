package io.tri4j.registry.zookeeper;

import com.google.gson.Gson;
import io.tri4j.RegistryConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where consumers find the metadata of an application instance (the services behind its revision):
 * parameter {@code metadata-type}, named as in Dubbo 3.
 */
enum MetadataStorage {
  /** In ZooKeeper, at {@code /dubbo/metadata/<app>/<revision>}: no call to the provider. */
  REMOTE,
  /**
   * From the provider itself, which serves Dubbo's {@link MetadataService} for it: nothing more in
   * ZooKeeper, a call per new revision.
   */
  LOCAL;

  private static final Gson GSON = new Gson();

  /** As {@code dubbo.metadata.storage-type} names it. */
  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** What else the instance node says for this storage type. */
  Map<String, String> instanceMetadata(int port) {
    if (this == REMOTE) {
      return Map.of();
    }
    // How Dubbo consumers build the URL of the MetadataService, and that it is version 2.
    Map<String, String> urlParams = new LinkedHashMap<>();
    urlParams.put("version", MetadataService.VERSION);
    urlParams.put("dubbo", "2.0.2");
    urlParams.put("side", "provider");
    urlParams.put("port", Integer.toString(port));
    urlParams.put("protocol", "tri");
    return Map.of(
        "dubbo.metadata-service.url-params",
        GSON.toJson(urlParams),
        "meta-v",
        MetadataService.VERSION);
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
              + "': use remote or local");
    }
  }
}
