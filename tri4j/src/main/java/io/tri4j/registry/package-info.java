/**
 * Service discovery: the {@link io.tri4j.registry.Registry} SPI that registry modules implement
 * (found through {@link io.tri4j.registry.RegistryFactory} and {@link java.util.ServiceLoader}),
 * the provider {@link io.tri4j.registry.Endpoint}s they report, and the {@link
 * io.tri4j.registry.LoadBalancer}s that pick one per call. Applications name a registry with a
 * {@link io.tri4j.RegistryConfig} URL and rarely touch this package.
 */
package io.tri4j.registry;
