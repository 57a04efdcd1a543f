package io.tri4j.registry.zookeeper;

import io.tri4j.RegistryConfig;
import java.util.Locale;

/**
 * Which of Dubbo's two layouts a provider registers in: parameter {@code register-mode}, named as
 * in Dubbo 3. Dubbo 2 consumers read only interface-level nodes, Dubbo 3 consumers prefer the
 * application level; {@code all}, the default, serves both.
 */
enum RegisterMode {
  /** Both layouts. */
  ALL,
  /** One node per service: {@code /dubbo/<interface>/providers/<url>}. */
  INTERFACE,
  /** One node per application instance: {@code /services/<app>/<host:port>}. */
  INSTANCE;

  boolean interfaceLevel() {
    return this != INSTANCE;
  }

  boolean instanceLevel() {
    return this != INTERFACE;
  }

  /**
   * The mode a registry URL asks for.
   *
   * @throws IllegalArgumentException for an unknown mode, naming the known ones
   */
  static RegisterMode of(RegistryConfig config) {
    String value = config.parameter("register-mode", "all");
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Bad value '"
              + value
              + "' for parameter register-mode in registry URL 'zookeeper://"
              + config.address()
              + "': use all, interface or instance");
    }
  }
}
