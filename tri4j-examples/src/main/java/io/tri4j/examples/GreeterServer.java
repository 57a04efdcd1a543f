package io.tri4j.examples;

import io.tri4j.RpcServiceHandler;
import io.tri4j.ServiceConfig;
import io.tri4j.services.health.HealthStatusManager;
import io.tri4j.services.reflection.ProtoReflectionService;
import java.util.ArrayList;
import java.util.List;

/**
 * What the {@code server} command serves: Greeter, gRPC health checking, and server reflection, on
 * one host and port. Interop tests serve the same.
 */
public final class GreeterServer {
  /**
   * The class path folder of the browser demo: {@code index.html}, and {@code app.js} (bundled from
   * {@code src/main/web} by the build when npm is there) that calls Greeter with connect-web over
   * gRPC-Web and Connect.
   */
  public static final String WEB_ROOT = "io/tri4j/examples/web";

  private GreeterServer() {}

  /**
   * The configs of Greeter and {@code health}'s service, and of server reflection on both if {@code
   * reflection}, on {@code host} and {@code port}.
   */
  public static List<ServiceConfig> configs(
      String host, int port, HealthStatusManager health, boolean reflection) {
    List<RpcServiceHandler> services = new ArrayList<>();
    services.add(GreeterService.handler());
    services.add(health.serviceHandler());
    if (reflection) {
      services.addAll(ProtoReflectionService.of(services).serviceHandlers());
    }
    List<ServiceConfig> configs = new ArrayList<>();
    for (RpcServiceHandler service : services) {
      configs.add(new ServiceConfig(service).withHost(host).withPort(port));
    }
    return configs;
  }
}
