package io.tri4j;

/** Every case of {@link CallStylesTest} again, over the in-memory transport instead of TCP. */
@EchoServerExtension.InMemory
class CallStylesInMemoryTest extends CallStylesTest {}
