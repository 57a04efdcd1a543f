/**
 * The {@code zookeeper://} registry: providers register in ZooKeeper, through Apache Curator, in
 * Apache Dubbo's layouts (interface level, and Dubbo 3's application level with its metadata), so
 * that Dubbo consumers and providers on the same ZooKeeper find tri4j's and the other way round. It
 * is found through {@link java.util.ServiceLoader} when this module is on the class path;
 * applications only write {@code RegistryConfig.fromUrl("zookeeper://host:2181")}.
 */
package io.tri4j.registry.zookeeper;
