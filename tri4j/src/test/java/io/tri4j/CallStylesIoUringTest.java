package io.tri4j;

import io.tri4j.internal.transport.SocketTransport;

/** Every case of {@link CallStylesTest} again, on io_uring (Linux, where the kernel allows). */
@EchoServerExtension.OnTransport(SocketTransport.IO_URING)
class CallStylesIoUringTest extends CallStylesTest {}
