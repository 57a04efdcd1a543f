package io.tri4j;

import java.util.Objects;

/**
 * Which method a call is for, as interceptors see it.
 *
 * @param service the service's full name, such as {@code org.apache.dubbo.samples.proto.Greeter}
 * @param method the method's name, such as {@code greet}
 * @param type how many messages each side sends
 */
public record MethodInfo(String service, String method, MethodType type) {
  /**
   * Checks the arguments.
   *
   * @throws NullPointerException if an argument is null
   */
  public MethodInfo {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(type, "type");
  }

  /** {@code service/method}, as in the request path without its leading slash. */
  public String fullName() {
    return service + "/" + method;
  }
}
