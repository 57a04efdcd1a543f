package io.tri4j;

/**
 * A unary method of a remote service, made by {@link Client#unary}: one request in, one response
 * out.
 */
@FunctionalInterface
public interface UnaryCallable<Q, R> {

  /**
   * Calls the method and waits for its response.
   *
   * @throws StatusException if the call ends with a status other than {@code OK}
   */
  R call(Q request);
}
