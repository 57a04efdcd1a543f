package io.tri4j;

/**
 * Every case of {@link MetadataPropagationTest} again, over the in-memory transport instead of TCP.
 */
@EchoServerExtension.InMemory
class MetadataPropagationInMemoryTest extends MetadataPropagationTest {}
