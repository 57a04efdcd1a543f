package io.tri4j.registry.zookeeper;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One application instance as Dubbo 3 lists it in ZooKeeper: the ephemeral node {@code
 * /services/<app>/<host:port>}, holding Apache Curator's {@code ServiceInstance} JSON with Dubbo's
 * {@code ZookeeperInstance} payload. Its metadata names the revision of the instance's services
 * ({@code dubbo.metadata.revision}), where that revision is kept ({@code
 * dubbo.metadata.storage-type}), its ports ({@code dubbo.endpoints}) and when it started ({@code
 * timestamp}, from which Dubbo consumers warm its weight up).
 *
 * @param app the application name
 * @param host its address, without brackets
 * @param port its port
 * @param metadata Dubbo's instance metadata
 */
record InstanceNode(String app, String host, int port, Map<String, String> metadata) {
  private static final Gson GSON =
      new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

  static final String REVISION = "dubbo.metadata.revision";
  static final String STORAGE_TYPE = "dubbo.metadata.storage-type";
  static final String ENDPOINTS = "dubbo.endpoints";
  static final String TIMESTAMP = "timestamp";

  InstanceNode {
    metadata = Map.copyOf(metadata);
  }

  /** {@code host:port}, the host in brackets if it is IPv6: the node's name and the id. */
  String id() {
    return bracketed() + ":" + port;
  }

  private String bracketed() {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }

  /** The port of {@code protocol} in {@code dubbo.endpoints}, or the instance's port. */
  int port(String protocol) {
    String endpoints = metadata.get(ENDPOINTS);
    if (endpoints != null) {
      try {
        for (JsonElement e : JsonParser.parseString(endpoints).getAsJsonArray()) {
          JsonObject endpoint = e.getAsJsonObject();
          if (protocol.equals(ApplicationMetadata.text(endpoint.get("protocol")))) {
            return endpoint.get("port").getAsInt();
          }
        }
      } catch (RuntimeException e) {
        // Not a list of endpoints: the instance's own port stands.
      }
    }
    return port;
  }

  /** The node's content, as Dubbo 3.3 writes it. */
  byte[] toJson(long registrationTime) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("@class", "org.apache.dubbo.registry.zookeeper.ZookeeperInstance");
    payload.put("id", id());
    payload.put("name", app);
    payload.put("metadata", new TreeMap<>(metadata));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", app);
    json.put("id", id());
    json.put("address", bracketed());
    json.put("port", port);
    json.put("sslPort", null);
    json.put("payload", payload);
    json.put("registrationTimeUTC", registrationTime);
    json.put("serviceType", "DYNAMIC");
    json.put("uriSpec", null);
    return GSON.toJson(json).getBytes(StandardCharsets.UTF_8);
  }

  /** {@code dubbo.endpoints} for one tri port. */
  static String endpoints(int port) {
    JsonObject endpoint = new JsonObject();
    endpoint.addProperty("port", port);
    endpoint.addProperty("protocol", "tri");
    JsonArray all = new JsonArray();
    all.add(endpoint);
    return GSON.toJson(all);
  }

  /**
   * The instance a node holds.
   *
   * @throws IllegalArgumentException if it holds no such instance (saying what is missing)
   */
  static InstanceNode parse(byte[] data) {
    if (data == null || data.length == 0) {
      throw new IllegalArgumentException("empty node");
    }
    try {
      JsonElement parsed;
      try {
        parsed = JsonParser.parseString(new String(data, StandardCharsets.UTF_8));
      } catch (JsonParseException e) {
        throw new IllegalArgumentException("not JSON");
      }
      if (!parsed.isJsonObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
      JsonObject root = parsed.getAsJsonObject();
      String name = ApplicationMetadata.text(root.get("name"));
      String address = ApplicationMetadata.text(root.get("address"));
      JsonElement port = root.get("port");
      if (name == null || address == null || port == null || port.isJsonNull()) {
        throw new IllegalArgumentException("no name, address or port");
      }
      if (address.startsWith("[") && address.endsWith("]")) {
        address = address.substring(1, address.length() - 1);
      }
      Map<String, String> metadata = new LinkedHashMap<>();
      JsonElement payload = root.get("payload");
      if (payload != null && payload.isJsonObject()) {
        JsonElement m = payload.getAsJsonObject().get("metadata");
        if (m != null && m.isJsonObject()) {
          for (Map.Entry<String, JsonElement> e : m.getAsJsonObject().entrySet()) {
            if (!e.getValue().isJsonNull()) {
              metadata.put(e.getKey(), e.getValue().getAsString());
            }
          }
        }
      }
      return new InstanceNode(name, address, port.getAsInt(), metadata);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) { // Gson's parse errors, a wrong type
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
