package io.tri4j;

/**
 * Every case of {@link CallStylesTest} again, over the in-memory transport and through pass-through
 * interceptors on both sides.
 */
@EchoServerExtension.InMemory
@EchoServerExtension.Intercepted
class CallStylesInMemoryInterceptedTest extends CallStylesTest {}
