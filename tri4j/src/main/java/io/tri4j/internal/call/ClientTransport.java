package io.tri4j.internal.call;

import io.tri4j.Metadata;
import io.tri4j.MethodInfo;
import io.tri4j.StreamTracer;
import io.tri4j.internal.codec.Compression;
import java.util.List;

/** Makes client streams to one target. */
public interface ClientTransport {

  /**
   * A new, not yet started stream for {@code method} (its path is {@code /service/method}), sending
   * {@code headers} with the request. If {@code deadline} is not null, the server is told it
   * ({@code grpc-timeout}) and the stream waits no longer for a connection; the caller ends the
   * stream when it passes. {@code compression}, if not null, is announced as the request's {@code
   * grpc-encoding}. If no connection can be had, the stream fails with {@code UNAVAILABLE} when
   * started. {@code headers} are only read, never changed: callers may share them.
   */
  ClientStream newStream(
      MethodInfo method, Metadata headers, Deadline deadline, Compression compression);

  /**
   * As {@link #newStream(MethodInfo, Metadata, Deadline, Compression)}, each attempt of the call
   * told to a tracer that each of {@code tracers} makes (none: no tracing). A transport that does
   * not retry makes one attempt.
   */
  default ClientStream newStream(
      MethodInfo method,
      Metadata headers,
      Deadline deadline,
      Compression compression,
      List<StreamTracer.Factory> tracers) {
    return tracers.isEmpty()
        ? newStream(method, headers, deadline, compression)
        : TracedClientStream.open(this, method, headers, deadline, compression, tracers, 0, false);
  }
}
