/**
 * OpenTelemetry metrics and tracing for tri4j clients and servers: start at {@link
 * io.tri4j.opentelemetry.Tri4jOpenTelemetry}.
 */
package io.tri4j.opentelemetry;
