package io.tri4j;

/** Every case of {@link CancellationTest} again, over the in-memory transport instead of TCP. */
@EchoServerExtension.InMemory
class CancellationInMemoryTest extends CancellationTest {}
