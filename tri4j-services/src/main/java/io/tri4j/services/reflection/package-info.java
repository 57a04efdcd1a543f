/**
 * gRPC server reflection ({@code grpc.reflection.v1} and {@code v1alpha}) for a tri4j server:
 * {@link io.tri4j.services.reflection.ProtoReflectionService} serves the descriptors of its
 * services. The protocol's messages are in {@code io.tri4j.services.reflection.v1} and {@code
 * v1alpha}.
 */
package io.tri4j.services.reflection;
