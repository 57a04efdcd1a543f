package io.tri4j.registry.zookeeper;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The services of one application instance, as Dubbo 3 publishes them for application-level
 * discovery, and their revision: the MD5 of the application name and each service's description, in
 * the order of their keys. Instances with the same services share a revision, so consumers fetch
 * each revision's metadata once.
 */
record ApplicationMetadata(String app, List<ServiceInfo> services) {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  /** Dubbo's revision of an application with no services. */
  static final String EMPTY_REVISION = "0";

  ApplicationMetadata {
    services = List.copyOf(services);
  }

  /** The revision, computed as Dubbo 3.3 computes it. */
  String revision() {
    if (services.isEmpty()) {
      return EMPTY_REVISION;
    }
    StringBuilder description = new StringBuilder(app);
    byKey().values().forEach(s -> description.append(s.descString()));
    try {
      byte[] md5 =
          MessageDigest.getInstance("MD5")
              .digest(description.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has MD5", e);
    }
  }

  private Map<String, ServiceInfo> byKey() {
    Map<String, ServiceInfo> byKey = new TreeMap<>();
    services.forEach(s -> byKey.put(s.matchKey(), s));
    return byKey;
  }

  /** The JSON Dubbo stores at {@code /dubbo/metadata/<app>/<revision>} and reads back. */
  String toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("app", app);
    json.put("revision", revision());
    Map<String, Object> services = new LinkedHashMap<>();
    byKey()
        .forEach(
            (key, s) -> {
              Map<String, Object> service = new LinkedHashMap<>();
              if (s.group() != null) {
                service.put("group", s.group());
              }
              service.put("name", s.name());
              service.put("params", new TreeMap<>(s.params()));
              service.put("path", s.path());
              service.put("port", s.port());
              service.put("protocol", s.protocol());
              if (s.version() != null) {
                service.put("version", s.version());
              }
              services.put(key, service);
            });
    json.put("services", services);
    return GSON.toJson(json);
  }

  /**
   * The metadata in {@code json}, as Dubbo or tri4j wrote it.
   *
   * @throws IllegalArgumentException if it is not such metadata (saying what is wrong)
   */
  static ApplicationMetadata fromJson(String json) {
    try {
      JsonObject root = JsonParser.parseString(json).getAsJsonObject();
      List<ServiceInfo> services = new ArrayList<>();
      JsonElement all = root.get("services");
      if (all != null && all.isJsonObject()) {
        for (Map.Entry<String, JsonElement> e : all.getAsJsonObject().entrySet()) {
          JsonObject s = e.getValue().getAsJsonObject();
          Map<String, String> params = new LinkedHashMap<>();
          JsonElement p = s.get("params");
          if (p != null && p.isJsonObject()) {
            p.getAsJsonObject().entrySet().forEach(x -> params.put(x.getKey(), text(x.getValue())));
          }
          JsonElement port = s.get("port");
          services.add(
              new ServiceInfo(
                  text(s.get("name")),
                  text(s.get("group")),
                  text(s.get("version")),
                  text(s.get("protocol")),
                  port == null || port.isJsonNull() ? -1 : port.getAsInt(),
                  text(s.get("path")),
                  params));
        }
      }
      return new ApplicationMetadata(text(root.get("app")), services);
    } catch (RuntimeException e) { // Gson's parse errors, a wrong type, a missing object
      throw new IllegalArgumentException("not Dubbo application metadata: " + e.getMessage(), e);
    }
  }

  /** A JSON string's text, or null for a missing or null value. */
  static String text(JsonElement e) {
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }
}
