package io.tri4j.internal.call;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dubbo's request headers: {@code tri-service-version} and {@code tri-service-group}, which pick
 * the provider's registration, and {@code tri-consumer-appname}, which names the caller.
 *
 * <p>They are the same on every call of a client, so they are made once and handed to its transport
 * as headers fixed for the client, not added to each call's metadata: that would copy the metadata
 * of every call (about 1.2 KB more per unary call, measured with {@code UnaryCallBenchmark}).
 */
public final class DubboHeaders {
  private DubboHeaders() {}

  /** The headers for a client's calls; a null value leaves its header out. */
  public static Map<String, String> of(String version, String group, String application) {
    Map<String, String> headers = new LinkedHashMap<>();
    putIfSet(headers, "tri-service-version", version);
    putIfSet(headers, "tri-service-group", group);
    putIfSet(headers, "tri-consumer-appname", application);
    return Collections.unmodifiableMap(headers);
  }

  private static void putIfSet(Map<String, String> headers, String name, String value) {
    if (value != null) {
      headers.put(name, value);
    }
  }
}
