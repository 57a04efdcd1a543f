package io.tri4j;

import io.tri4j.internal.transport.SocketTransport;

/**
 * Every case of {@link CallStylesTest} again, on NIO, whatever the machine offers: the transport
 * tri4j falls back to.
 */
@EchoServerExtension.OnTransport(SocketTransport.NIO)
class CallStylesNioTest extends CallStylesTest {}
