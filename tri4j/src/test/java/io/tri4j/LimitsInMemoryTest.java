package io.tri4j;

/** Every case of {@link LimitsTest} again, over the in-memory transport instead of TCP. */
@EchoServerExtension.InMemory
class LimitsInMemoryTest extends LimitsTest {}
