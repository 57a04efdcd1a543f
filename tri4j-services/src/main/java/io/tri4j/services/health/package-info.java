/**
 * gRPC health checking ({@code grpc.health.v1.Health}) for a tri4j server: {@link
 * io.tri4j.services.health.HealthStatusManager} holds the statuses and serves them. The protocol's
 * messages are in {@code io.tri4j.services.health.v1}.
 */
package io.tri4j.services.health;
