package io.grpc.testing.integration;

/**
 * Every case of {@link Tri4jClientAgainstGrpcJavaServerTest} again over TLS: grpc-java's server
 * with {@code --use_tls=true} (its server1 certificate), tri4j's client with the interop jar's
 * {@code --use_tls=true --use_test_ca=true --server_host_override=foo.test.google.fr}.
 */
class Tri4jClientAgainstGrpcJavaServerTlsTest extends Tri4jClientAgainstGrpcJavaServerTest {
  @Override
  String[] clientFlags() {
    return new String[] {
      "test-client",
      "--use_tls=true",
      "--use_test_ca=true",
      "--server_host_override=foo.test.google.fr"
    };
  }
}
