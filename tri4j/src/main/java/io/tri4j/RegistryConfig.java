package io.tri4j;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where providers are registered and found, read from a URL as in dubbo-python's {@code
 * RegistryConfig.from_url("zookeeper://127.0.0.1:2181")}: {@code scheme://host:port[,host:port]
 * [?name=value&...]}. The scheme picks the registry implementation on the class path (module {@code
 * tri4j-registry-zookeeper} for {@code zookeeper}). Parameters {@code cluster}, {@code loadbalance}
 * and {@code retries} are defaults for the clients that use it, {@code application} and {@code
 * weight} what servers register; the rest belong to the registry implementation, which names them
 * ({@link io.tri4j.registry.RegistryFactory#parameters()}). A parameter nobody reads is an error
 * when the registry opens.
 *
 * <p>Immutable.
 */
public final class RegistryConfig {
  /** The value of a password parameter in a URL's query. */
  private static final Pattern PASSWORD_VALUE = Pattern.compile("(?<=[?&]password=)[^&]*");

  private final String url;
  private final String scheme;
  private final String address;
  private final Map<String, String> parameters;

  private RegistryConfig(
      String url, String scheme, String address, Map<String, String> parameters) {
    this.url = url;
    this.scheme = scheme;
    this.address = address;
    this.parameters = parameters;
  }

  /**
   * Reads a registry URL.
   *
   * @throws IllegalArgumentException if it is malformed or names no address
   */
  public static RegistryConfig fromUrl(String url) {
    Objects.requireNonNull(url, "url");
    int schemeEnd = url.indexOf("://");
    if (schemeEnd <= 0) {
      throw new IllegalArgumentException(
          "Malformed registry URL '"
              + url
              + "': expected scheme://host:port, such as"
              + " zookeeper://127.0.0.1:2181");
    }
    String scheme = url.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT);
    String rest = url.substring(schemeEnd + 3);
    int query = rest.indexOf('?');
    String address = query < 0 ? rest : rest.substring(0, query);
    if (address.endsWith("/")) {
      address = address.substring(0, address.length() - 1);
    }
    if (address.isEmpty()) {
      throw new IllegalArgumentException("No address in registry URL '" + url + "'");
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    if (query >= 0) {
      for (String pair : rest.substring(query + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        parameters.put(
            decode(eq < 0 ? pair : pair.substring(0, eq)),
            eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    try {
      new URI(scheme + "://" + address.split(",")[0]); // validates the first host:port
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "Malformed registry URL '" + url + "': " + e.getMessage(), e);
    }
    return new RegistryConfig(url, scheme, address, Collections.unmodifiableMap(parameters));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The scheme, such as {@code zookeeper}. */
  public String scheme() {
    return scheme;
  }

  /** The registry's address: {@code host:port}, or several separated by commas. */
  public String address() {
    return address;
  }

  /** The URL's query parameters, as written. */
  public Map<String, String> parameters() {
    return parameters;
  }

  /** A parameter's value, or {@code fallback}. */
  public String parameter(String name, String fallback) {
    return parameters.getOrDefault(name, fallback);
  }

  /** The registry as a URL, parameters included (a {@code password} too). */
  public String toUrl() {
    return url;
  }

  /**
   * The registry as a URL for logs and messages: as {@link #toUrl()}, but a {@code password}
   * parameter's value is written {@code ***}.
   */
  @Override
  public String toString() {
    return parameters.containsKey("password") ? PASSWORD_VALUE.matcher(url).replaceAll("***") : url;
  }
}
