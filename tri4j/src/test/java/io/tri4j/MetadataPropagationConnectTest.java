package io.tri4j;

/**
 * Every case of {@link MetadataPropagationTest} again with the client speaking the Connect protocol
 * to tri4j's server, which serves it on the same port.
 */
@EchoServerExtension.Protocol(ReferenceConfig.WireProtocol.CONNECT)
class MetadataPropagationConnectTest extends MetadataPropagationTest {}
