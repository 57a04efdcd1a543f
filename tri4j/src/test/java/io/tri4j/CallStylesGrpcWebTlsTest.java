package io.tri4j;

/** Every case of {@link CallStylesTest} again with the client speaking gRPC-Web over TLS. */
@EchoServerExtension.Tls
@EchoServerExtension.Protocol(ReferenceConfig.WireProtocol.GRPC_WEB)
class CallStylesGrpcWebTlsTest extends CallStylesTest {}
