package io.tri4j;

/**
 * Every case of {@link StatusPropagationTest} again, over the in-memory transport instead of TCP.
 */
@EchoServerExtension.InMemory
class StatusPropagationInMemoryTest extends StatusPropagationTest {}
