package io.tri4j.registry;

import io.tri4j.RegistryConfig;
import io.tri4j.internal.ParameterNames;
import java.util.HashSet;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Makes registries for a URL scheme; implementations are found with {@link ServiceLoader} ({@code
 * META-INF/services/io.tri4j.registry.RegistryFactory}).
 */
public interface RegistryFactory {

  /** Whether this factory makes registries for {@code scheme}, such as {@code zookeeper}. */
  boolean supports(String scheme);

  /** A registry for {@code config}; the caller closes it. */
  Registry create(RegistryConfig config);

  /**
   * The parameters registries of this kind read from their URL, besides those any registry URL may
   * carry for the clients and servers that use it: {@code application} and {@code weight} (what a
   * server registers), {@code cluster}, {@code loadbalance} and {@code retries} (defaults for
   * clients). {@link #open} refuses a URL with any other parameter, so a misspelled one is an error
   * rather than silently ignored. None by default.
   */
  default Set<String> parameters() {
    return Set.of();
  }

  /**
   * The registry for {@code config} from the first factory on the class path that supports its
   * scheme.
   *
   * @throws IllegalArgumentException if none does (naming the module to add)
   */
  static Registry open(RegistryConfig config) {
    for (RegistryFactory factory : ServiceLoader.load(RegistryFactory.class)) {
      if (factory.supports(config.scheme())) {
        checkParameters(config, factory.parameters());
        return factory.create(config);
      }
    }
    throw new IllegalArgumentException(
        "No registry for '"
            + config.scheme()
            + "://' on the class path"
            + (config.scheme().equals("zookeeper")
                ? ": add io.tri4j:tri4j-registry-zookeeper"
                : ""));
  }

  private static void checkParameters(RegistryConfig config, Set<String> own) {
    Set<String> known = new HashSet<>(own);
    known.addAll(Set.of("application", "weight", "cluster", "loadbalance", "retries"));
    for (String name : config.parameters().keySet()) {
      if (!known.contains(name)) {
        // The URL may carry a password: name only its scheme and address.
        throw ParameterNames.unknown(
            name, "in registry URL '" + config.scheme() + "://" + config.address() + "'", known);
      }
    }
  }
}
