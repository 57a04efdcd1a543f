package io.tri4j.internal.call;

/** Makes client streams to one target. */
public interface ClientTransport {

  /**
   * A new, not yet started stream for the method at {@code path} ({@code /service/method}). If no
   * connection can be had, the stream fails with {@code UNAVAILABLE} when started.
   */
  ClientStream newStream(String path);
}
