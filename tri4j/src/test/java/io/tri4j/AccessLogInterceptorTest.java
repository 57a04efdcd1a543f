package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tri4j.testing.LogCapture;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.event.Level;

/** The access log's one line per call, over real loopback calls. */
@Timeout(30)
class AccessLogInterceptorTest {
  private static final String SERVICE = EchoService.NAME;

  private static final String FAIL = "status:INVALID_ARGUMENT:empty";

  private Server server;
  private Client client;

  @BeforeEach
  void start() {
    server =
        new Server(
                ServerOptions.defaults().withInterceptors(AccessLogInterceptor.create()),
                new ServiceConfig(new EchoService().handler()).withHost("127.0.0.1").withPort(0))
            .start();
    client =
        new Client(ReferenceConfig.fromUrl("tri://127.0.0.1:" + server.port() + "/" + SERVICE));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static List<String> lines(LogCapture logs) {
    return logs.events().stream()
        .filter(e -> e.logger().equals(AccessLogInterceptor.class.getName()))
        .map(e -> e.level() + " " + e.message())
        .toList();
  }

  @Test
  void unaryCall_oneInfoLine_withMethodStatusPeerAndSizes() {
    try (LogCapture logs = LogCapture.open(Level.INFO)) {
      client.<String, String>unary("unary", EchoService.SER, EchoService.DES).call("hello");

      assertThat(lines(logs))
          .singleElement()
          .asString()
          .matches(
              "INFO tri4j\\.test\\.Echo/unary OK \\d+\\.\\d\\dms peer=/127\\.0\\.0\\.1:\\d+"
                  + " rcvd=1/5B sent=1/5B");
    }
  }

  @Test
  void failedAndStreamingCalls_eachLoggedOnce_withTheirStatusAndCounts() {
    try (LogCapture logs = LogCapture.open(Level.INFO)) {
      catchThrowableOfType(
          StatusException.class,
          () -> client.<String, String>unary("unary", EchoService.SER, EchoService.DES).call(FAIL));
      client
          .<String, String>bidiStream("biStream", EchoService.SER, EchoService.DES)
          .call(List.of("a", "bb", "ccc").iterator())
          .stream()
          .toList();

      assertThat(lines(logs))
          .hasSize(2)
          .anySatisfy(
              l ->
                  assertThat(l)
                      .contains("unary INVALID_ARGUMENT")
                      .endsWith("rcvd=1/" + FAIL.length() + "B sent=0/0B"))
          .anySatisfy(l -> assertThat(l).contains("biStream OK").endsWith("rcvd=3/6B sent=3/6B"));
    }
  }
}
