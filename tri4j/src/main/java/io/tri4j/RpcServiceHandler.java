package io.tri4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A service: its full name ({@code package.Service}, as in the request path {@code
 * /package.Service/method}) and its methods by name, as in dubbo-python's {@code
 * RpcServiceHandler(service_name=..., method_handlers={...})}.
 */
public final class RpcServiceHandler {
  private final String serviceName;
  private final Map<String, RpcMethodHandler<?, ?>> methodHandlers;

  /**
   * A service named {@code serviceName} (package and service, as in the request path) with its
   * methods, by name.
   */
  public RpcServiceHandler(
      String serviceName, Map<String, ? extends RpcMethodHandler<?, ?>> methodHandlers) {
    this.serviceName = requireName(serviceName, "serviceName");
    Map<String, RpcMethodHandler<?, ?>> copy = new LinkedHashMap<>();
    methodHandlers.forEach(
        (name, handler) ->
            copy.put(requireName(name, "method name"), Objects.requireNonNull(handler, name)));
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("Service " + serviceName + " has no methods");
    }
    this.methodHandlers = java.util.Collections.unmodifiableMap(copy);
  }

  private static String requireName(String name, String what) {
    Objects.requireNonNull(name, what);
    if (name.isEmpty() || name.indexOf('/') >= 0) {
      throw new IllegalArgumentException("Invalid " + what + ": '" + name + "'");
    }
    return name;
  }

  /** The service's full name. */
  public String serviceName() {
    return serviceName;
  }

  /** The methods by name, in the order given. */
  public Map<String, RpcMethodHandler<?, ?>> methodHandlers() {
    return methodHandlers;
  }
}
