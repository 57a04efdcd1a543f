package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Server;
import io.tri4j.examples.GreeterServer;
import io.tri4j.services.health.HealthStatusManager;
import io.tri4j.services.health.v1.HealthCheckResponse.ServingStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Python's grpcio (Debian's python3-grpcio) checks the health of the examples' server: Check and
 * Watch as the protocol specifies them. Skipped, saying so, where no python3 can import grpc.
 */
@Timeout(120)
class PythonGrpcioHealthTest {

  /**
   * A python3 command that imports grpc: the one on the PATH, or else the system's (pyenv's shim,
   * where there is one, runs it with {@code PYENV_VERSION=system}); null if neither can.
   */
  private static Map<String, String> pythonWithGrpc() throws InterruptedException {
    for (Map<String, String> environment :
        List.of(Map.<String, String>of(), Map.of("PYENV_VERSION", "system"))) {
      ProcessBuilder probe =
          new ProcessBuilder("python3", "-c", "import grpc").redirectErrorStream(true);
      probe.environment().putAll(environment);
      try {
        Process process = probe.start();
        process.getInputStream().readAllBytes();
        if (process.waitFor() == 0) {
          return environment;
        }
      } catch (IOException noPython) {
        return null;
      }
    }
    return null;
  }

  @Test
  void grpcioHealthCheck_checkAndWatch_asTheProtocolSays() throws Exception {
    Map<String, String> environment = pythonWithGrpc();
    Assumptions.assumeTrue(
        environment != null,
        "No python3 that imports grpc: PythonGrpcioHealthTest skipped"
            + " (apt-get install python3-grpcio to run it)");
    Path script =
        Path.of(PythonGrpcioHealthTest.class.getResource("/python/grpcio_health_check.py").toURI());
    HealthStatusManager health = new HealthStatusManager();
    try (Server server = new Server(GreeterServer.configs("127.0.0.1", 0, health, false)).start()) {
      health.setStatus(GreeterTri4j.SERVICE_NAME, ServingStatus.NOT_SERVING);
      ProcessBuilder python =
          new ProcessBuilder(
                  "python3",
                  script.toString(),
                  "127.0.0.1:" + server.port(),
                  GreeterTri4j.SERVICE_NAME)
              .redirectErrorStream(true);
      python.environment().putAll(environment);

      JarRun run = JarRun.of(python);

      assertThat(run.exitValue()).as(run.output()).isZero();
      assertThat(run.output().lines())
          .containsExactly(
              "check '' SERVING",
              "check " + GreeterTri4j.SERVICE_NAME + " NOT_SERVING",
              "check no.Such NOT_FOUND",
              "watch " + GreeterTri4j.SERVICE_NAME + " NOT_SERVING");
    }
  }
}
