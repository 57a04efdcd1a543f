package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** tri4j's interop client against tri4j's TestService: every case, compression probes included. */
@Timeout(120)
class Tri4jInteropSelfTest {
  static Server server;

  @BeforeAll
  static void start() {
    server = Main.startServer("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void allCases_pass() {
    assertThat(Main.runClient("127.0.0.1", server.port(), "all")).isZero();
  }
}
