package io.tri4j.interop;

/**
 * Every case of {@link OfficialGrpcClientTest} again over TLS: grpc-java's client with {@code
 * --use_tls=true --use_test_ca=true --server_host_override=foo.test.google.fr} against tri4j's
 * server with gRPC's server1 certificate.
 */
class OfficialGrpcClientTlsTest extends OfficialGrpcClientTest {
  @Override
  boolean tls() {
    return true;
  }
}
