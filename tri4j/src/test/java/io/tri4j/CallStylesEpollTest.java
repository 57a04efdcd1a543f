package io.tri4j;

import io.tri4j.internal.transport.SocketTransport;

/** Every case of {@link CallStylesTest} again, on epoll (Linux). */
@EchoServerExtension.OnTransport(SocketTransport.EPOLL)
class CallStylesEpollTest extends CallStylesTest {}
