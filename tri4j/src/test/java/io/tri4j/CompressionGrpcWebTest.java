package io.tri4j;

/**
 * Every case of {@link CompressionTest} again with the client speaking gRPC-Web to tri4j's server,
 * which serves it on the same port.
 */
@EchoServerExtension.Protocol(ReferenceConfig.WireProtocol.GRPC_WEB)
class CompressionGrpcWebTest extends CompressionTest {}
