package io.tri4j.registry.zookeeper;

import io.tri4j.registry.Endpoint;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A provider as Apache Dubbo writes it in ZooKeeper: the name of an ephemeral node under {@code
 * /dubbo/<interface>/providers}, which is the URL-encoded URL {@code
 * tri://host:port/<interface>?name=value&...}.
 */
final class ProviderUrl {
  private ProviderUrl() {}

  /** The node name for {@code endpoint} as a provider of {@code service}. */
  static String encode(String service, Endpoint endpoint) {
    StringBuilder url = new StringBuilder("tri://").append(endpoint.address()).append('/');
    url.append(service);
    char sep = '?';
    // Sorted, as Dubbo writes them; keys and values are plain (no '&' or '=' inside).
    for (Map.Entry<String, String> e : new TreeMap<>(endpoint.parameters()).entrySet()) {
      url.append(sep).append(e.getKey()).append('=').append(e.getValue());
      sep = '&';
    }
    return URLEncoder.encode(url.toString(), StandardCharsets.UTF_8);
  }

  /**
   * The endpoint a node name stands for, or null if it is not a {@code tri://} provider (Dubbo also
   * lists {@code dubbo://} and other protocols, which tri4j cannot call).
   */
  static Endpoint decode(String nodeName) {
    String url = URLDecoder.decode(nodeName, StandardCharsets.UTF_8);
    if (!url.startsWith("tri://")) {
      return null;
    }
    String rest = url.substring("tri://".length());
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    int query = rest.indexOf('?');
    String host;
    String port;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = authority.substring(1, close);
      port = authority.substring(close + 1).startsWith(":") ? authority.substring(close + 2) : "";
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      port = colon < 0 ? "" : authority.substring(colon + 1);
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    if (query >= 0) {
      for (String pair : rest.substring(query + 1).split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          parameters.put(pair.substring(0, eq), pair.substring(eq + 1));
        } else if (!pair.isEmpty()) {
          parameters.put(pair, "");
        }
      }
    }
    try {
      return new Endpoint(host, Integer.parseInt(port), parameters);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
