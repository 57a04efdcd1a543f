package io.tri4j.registry.zookeeper;

import io.tri4j.RegistryConfig;
import io.tri4j.registry.Endpoint;
import java.util.List;
import java.util.Locale;

/**
 * Which providers a client uses, from which of Dubbo's layouts: parameter {@code migration-step},
 * with the values of Dubbo 3's {@code migration.step}.
 */
enum MigrationStep {
  /** The interface-level nodes only, as a Dubbo 2 consumer. */
  FORCE_INTERFACE,
  /**
   * The application-level instances while there are any, else the interface-level nodes: Dubbo 3's
   * default, and tri4j's.
   */
  APPLICATION_FIRST,
  /** The application-level instances only. */
  FORCE_APPLICATION;

  boolean interfaceLevel() {
    return this != FORCE_APPLICATION;
  }

  boolean applicationLevel() {
    return this != FORCE_INTERFACE;
  }

  /** The providers to use, given those listed at each level now. */
  List<Endpoint> choose(List<Endpoint> interfaceLevel, List<Endpoint> applicationLevel) {
    return switch (this) {
      case FORCE_INTERFACE -> interfaceLevel;
      case FORCE_APPLICATION -> applicationLevel;
      case APPLICATION_FIRST -> applicationLevel.isEmpty() ? interfaceLevel : applicationLevel;
    };
  }

  /**
   * The step a registry URL asks for; {@code APPLICATION_FIRST} by default.
   *
   * @throws IllegalArgumentException for an unknown step, naming the known ones
   */
  static MigrationStep of(RegistryConfig config) {
    String value = config.parameter("migration-step", "APPLICATION_FIRST");
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Bad value '"
              + value
              + "' for parameter migration-step in registry URL 'zookeeper://"
              + config.address()
              + "': use FORCE_INTERFACE, APPLICATION_FIRST or FORCE_APPLICATION");
    }
  }
}
