package io.tri4j;

/** Every case of {@link CompressionTest} again, over the in-memory transport instead of TCP. */
@EchoServerExtension.InMemory
class CompressionInMemoryTest extends CompressionTest {}
