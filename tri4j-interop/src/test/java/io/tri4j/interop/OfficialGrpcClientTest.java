package io.tri4j.interop;

import io.grpc.testing.integration.TestServiceClient;
import io.tri4j.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * grpc-java's official interop client ({@code TestServiceClient}) against tri4j's TestService, over
 * a loopback socket: every case the issue names, compression probes included.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfficialGrpcClientTest {
  Server server;

  /** Whether the server and the client use TLS (gRPC's test CA and server1 certificate). */
  boolean tls() {
    return false;
  }

  @BeforeAll
  void start() {
    server = Main.startServer("127.0.0.1", 0, tls());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @org.junit.jupiter.api.Test
  void harness_reportsFailures() {
    // A negative control: against a server without the TestService, the official client throws.
    try (Server greeter =
        new Server(
                new io.tri4j.ServiceConfig(io.tri4j.examples.GreeterService.handler())
                    .withHost("127.0.0.1")
                    .withPort(0))
            .start()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  TestServiceClient.main(
                      new String[] {
                        "--server_host=127.0.0.1",
                        "--server_port=" + greeter.port(),
                        "--test_case=empty_unary",
                        "--use_tls=false"
                      }))
          .hasMessageContaining("UNIMPLEMENTED");
    }
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
        "client_compressed_unary",
        "client_compressed_streaming",
        "server_compressed_unary",
        "server_compressed_streaming",
        "very_large_request"
      })
  void testCase_passes(String testCase) throws Exception {
    // main() sets up a channel, runs the case (throwing on failure) and tears down.
    TestServiceClient.main(
        tls()
            ? new String[] {
              "--server_host=127.0.0.1",
              "--server_port=" + server.port(),
              "--test_case=" + testCase,
              "--use_tls=true",
              "--use_test_ca=true",
              "--server_host_override=" + TestCerts.SERVER_HOST_OVERRIDE
            }
            : new String[] {
              "--server_host=127.0.0.1",
              "--server_port=" + server.port(),
              "--test_case=" + testCase,
              "--use_tls=false"
            });
  }
}
