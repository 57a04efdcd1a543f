package io.tri4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A service: its full name ({@code package.Service}, as in the request path {@code
 * /package.Service/method}) and its methods by name, as in dubbo-python's {@code
 * RpcServiceHandler(service_name=..., method_handlers={...})}.
 *
 * <p>A handler may carry the schema of its service ({@link #withSchemaDescriptor}), which tools
 * such as server reflection read; the code protoc-gen-tri4j generates sets it.
 */
public final class RpcServiceHandler {
  private final String serviceName;
  private final Map<String, RpcMethodHandler<?, ?>> methodHandlers;
  private final Object schemaDescriptor;

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
    this.schemaDescriptor = null;
  }

  private RpcServiceHandler(RpcServiceHandler handler, Object schemaDescriptor) {
    this.serviceName = handler.serviceName;
    this.methodHandlers = handler.methodHandlers;
    this.schemaDescriptor = schemaDescriptor;
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

  /**
   * A copy carrying {@code schemaDescriptor}, what describes the service's messages to tools. For a
   * protobuf service it is the service's {@code com.google.protobuf.Descriptors.ServiceDescriptor}
   * (as the generated {@code serviceDescriptor()} returns), which server reflection serves. Typed
   * {@code Object} because the core does not need protobuf; tri4j itself never reads it.
   */
  public RpcServiceHandler withSchemaDescriptor(Object schemaDescriptor) {
    return new RpcServiceHandler(
        this, Objects.requireNonNull(schemaDescriptor, "schemaDescriptor"));
  }

  /** The schema set with {@link #withSchemaDescriptor}, or null. */
  public Object schemaDescriptor() {
    return schemaDescriptor;
  }
}
