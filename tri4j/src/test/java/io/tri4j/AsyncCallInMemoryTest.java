package io.tri4j;

/** Every case of {@link AsyncCallTest} again, over the in-memory transport instead of TCP. */
@EchoServerExtension.InMemory
class AsyncCallInMemoryTest extends AsyncCallTest {}
