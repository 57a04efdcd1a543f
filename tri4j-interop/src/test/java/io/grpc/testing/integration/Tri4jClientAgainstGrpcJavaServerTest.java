package io.grpc.testing.integration;

import io.tri4j.interop.InteropClient;
import io.tri4j.interop.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * tri4j's interop client against grpc-java's official interop server ({@code TestServiceServer}),
 * over a loopback socket. Lives in grpc-java's package only to reach the server's package-private
 * start, port and stop methods.
 *
 * <p>grpc-java's server does not check {@code expect_compressed}, so the feature probe of the two
 * client-compression cases cannot pass against it (grpc-java's own client fails it too): they run
 * as their {@code _noprobe} variants here, and with the probe against tri4j's server.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Tri4jClientAgainstGrpcJavaServerTest {
  TestServiceServer server;

  /**
   * The flags of tri4j's client ({@code test-client}): TLS with gRPC's test CA and its server1
   * certificate's name, or none for plaintext.
   */
  String[] clientFlags() {
    return new String[] {"test-client"};
  }

  @BeforeAll
  void start() throws Exception {
    server = new TestServiceServer();
    boolean tls = Main.clientTls(clientFlags()) != null;
    server.parseArgs(new String[] {"--port=0", "--use_tls=" + tls});
    server.start();
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "empty_unary",
        "large_unary",
        "client_streaming",
        "server_streaming",
        "ping_pong",
        "empty_stream",
        "cancel_after_begin",
        "cancel_after_first_response",
        "timeout_on_sleeping_server",
        "custom_metadata",
        "status_code_and_message",
        "special_status_message",
        "unimplemented_method",
        "unimplemented_service",
        "client_compressed_unary_noprobe",
        "client_compressed_streaming_noprobe",
        "server_compressed_unary",
        "server_compressed_streaming",
        "very_large_request"
      })
  void testCase_passes(String testCase) throws Exception {
    try (InteropClient client =
        new InteropClient("127.0.0.1", server.getPort(), Main.clientTls(clientFlags()))) {
      client.run(testCase);
    }
  }
}
