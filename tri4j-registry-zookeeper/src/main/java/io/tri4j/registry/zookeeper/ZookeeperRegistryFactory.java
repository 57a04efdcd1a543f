package io.tri4j.registry.zookeeper;

import io.tri4j.RegistryConfig;
import io.tri4j.registry.Registry;
import io.tri4j.registry.RegistryFactory;
import java.util.Set;

/**
 * Makes {@link ZookeeperRegistry ZooKeeper registries} for {@code zookeeper://host:port[,...]}
 * URLs. Parameters: {@code group}, the root node (default {@code dubbo}, as in Dubbo); {@code
 * session} and {@code timeout}, the session and connection timeouts in milliseconds; {@code
 * username} and {@code password}, for ZooKeeper's digest authentication; {@code backup}, more
 * members of the ensemble, as Dubbo writes them; {@code register-mode}, {@code all} (the default),
 * {@code interface} or {@code instance}: which of Dubbo's layouts providers register in; {@code
 * metadata-type}, where application-level consumers find a provider's services ({@code remote}: in
 * ZooKeeper); {@code check}, {@code false} to open (and start a server or client) while ZooKeeper
 * is down and register and subscribe once it answers, as Dubbo's registry {@code check}.
 */
public final class ZookeeperRegistryFactory implements RegistryFactory {
  @Override
  public boolean supports(String scheme) {
    return scheme.equals("zookeeper");
  }

  @Override
  public Registry create(RegistryConfig config) {
    return new ZookeeperRegistry(config);
  }

  @Override
  public Set<String> parameters() {
    return Set.of(
        "group",
        "session",
        "timeout",
        "username",
        "password",
        "backup",
        "register-mode",
        "metadata-type",
        "migration-step",
        "check");
  }
}
