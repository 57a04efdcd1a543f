package io.tri4j.internal.call;

import io.tri4j.ReadStream;
import io.tri4j.WriteStream;

/**
 * Every server handler shape, brought to one: read the requests, write the responses. Returning
 * ends the call with {@code OK}; throwing ends it with the exception's status.
 */
@FunctionalInterface
public interface StreamHandler<Q, R> {
  void handle(ReadStream<Q> requests, WriteStream<R> responses) throws Exception;
}
