package io.tri4j.registry.zookeeper;

import java.util.Map;
import java.util.TreeMap;

/**
 * One service of an application, as Dubbo's application-level metadata lists it. Group and version
 * are null when absent.
 */
record ServiceInfo(
    String name,
    String group,
    String version,
    String protocol,
    int port,
    String path,
    Map<String, String> params) {

  ServiceInfo {
    params = Map.copyOf(params);
  }

  /** {@code [group/]name[:version]}: Dubbo's service key. */
  String serviceKey() {
    StringBuilder key = new StringBuilder();
    if (group != null && !group.isEmpty()) {
      key.append(group).append('/');
    }
    key.append(name);
    if (version != null && !version.isEmpty()) {
      key.append(':').append(version);
    }
    return key.toString();
  }

  /** The service key and the protocol: the key of this service in the metadata. */
  String matchKey() {
    return protocol == null || protocol.isEmpty() ? serviceKey() : serviceKey() + ":" + protocol;
  }

  /**
   * What the revision is computed over, character for character as Dubbo 3.3 writes it (a {@link
   * TreeMap}'s {@code toString} of the parameters included); any difference and Dubbo consumers
   * would see two revisions for one set of services.
   */
  String descString() {
    return matchKey() + port + path + new TreeMap<>(params);
  }
}
