package io.tri4j.internal.call;

import io.tri4j.Metadata;
import io.tri4j.Status;

/**
 * A server stream that tells the client what exception server code failed with ({@link
 * ServerFailures#withExceptionDetails}): on a server in development only, so that other servers pay
 * nothing for it. Below every interceptor, it sees failures of interceptors too.
 */
final class ExceptionDetailsStream extends ForwardingServerStream {

  ExceptionDetailsStream(ServerStream delegate) {
    super(delegate);
  }

  @Override
  public void close(Status status, Metadata trailers) {
    super.close(ServerFailures.withExceptionDetails(status), trailers);
  }
}
