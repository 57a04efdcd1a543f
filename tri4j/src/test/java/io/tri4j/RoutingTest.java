package io.tri4j;

import static io.tri4j.StatusAssertions.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several Dubbo versions and groups of one service on one port. */
@Timeout(30)
class RoutingTest {
  private static final String SERVICE = "tri4j.test.Versioned";
  private static Server server;
  private static Server noDefault;

  private static ServiceConfig answering(String answer) {
    return new ServiceConfig(
            new RpcServiceHandler(
                SERVICE,
                Map.of(
                    "who", RpcMethodHandler.unary(r -> answer, EchoService.DES, EchoService.SER))))
        .withHost("127.0.0.1")
        .withPort(0);
  }

  @BeforeAll
  static void start() {
    server =
        new Server(
                answering("default"),
                answering("v1").withVersion("1.0.0"),
                answering("v2").withVersion("2.0.0"),
                answering("g1").withGroup("g1"),
                answering("g1v2").withGroup("g1").withVersion("2.0.0"))
            .start();
    noDefault = new Server(answering("v1 only").withVersion("1.0.0")).start();
  }

  @AfterAll
  static void stop() {
    server.close();
    noDefault.close();
  }

  private static String who(Server target, String query) {
    try (Client client =
        new Client(
            ReferenceConfig.fromUrl("tri://127.0.0.1:" + target.port() + "/" + SERVICE + query))) {
      return client.unary("who", EchoService.SER, EchoService.DES).call("?");
    }
  }

  @Test
  void versionAndGroup_selectTheirRegistration() {
    assertThat(who(server, "")).isEqualTo("default");
    assertThat(who(server, "?version=1.0.0")).isEqualTo("v1");
    assertThat(who(server, "?version=2.0.0")).isEqualTo("v2");
    assertThat(who(server, "?group=g1")).isEqualTo("g1");
    assertThat(who(server, "?group=g1&version=2.0.0")).isEqualTo("g1v2");
  }

  @Test
  void unknownVersionOrGroup_fallsBackToTheDefault() {
    assertThat(who(server, "?version=9.9.9")).isEqualTo("default");
    assertThat(who(server, "?group=nobody")).isEqualTo("default");
  }

  @Test
  void noMatchAndNoDefault_isUnimplementedNamingVersion() {
    assertThat(who(noDefault, "?version=1.0.0")).isEqualTo("v1 only");
    assertStatus(() -> who(noDefault, "?version=3.0.0"), Status.Code.UNIMPLEMENTED, "3.0.0");
  }
}
