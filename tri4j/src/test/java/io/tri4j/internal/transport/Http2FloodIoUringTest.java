package io.tri4j.internal.transport;

/**
 * Every flood of {@link Http2FloodTest} again, on io_uring (Linux, where the kernel allows): there
 * a close issued right behind a GOAWAY cancelled its write, and the client saw no reason.
 */
class Http2FloodIoUringTest extends Http2FloodTest {
  @Override
  SocketTransport transport() {
    return SocketTransport.IO_URING;
  }
}
