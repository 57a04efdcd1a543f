package io.tri4j.registry;

import io.tri4j.RegistryConfig;
import java.util.ServiceLoader;

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
   * The registry for {@code config} from the first factory on the class path that supports its
   * scheme.
   *
   * @throws IllegalArgumentException if none does (naming the module to add)
   */
  static Registry open(RegistryConfig config) {
    for (RegistryFactory factory : ServiceLoader.load(RegistryFactory.class)) {
      if (factory.supports(config.scheme())) {
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
}
