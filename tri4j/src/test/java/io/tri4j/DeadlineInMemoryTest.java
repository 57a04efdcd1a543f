package io.tri4j;

/** Every case of {@link DeadlineTest} again, over the in-memory transport instead of TCP. */
@EchoServerExtension.InMemory
class DeadlineInMemoryTest extends DeadlineTest {}
