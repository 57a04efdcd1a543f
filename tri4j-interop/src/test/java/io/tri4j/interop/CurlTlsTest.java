package io.tri4j.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Server;
import io.tri4j.ServerOptions;
import io.tri4j.ServerTls;
import io.tri4j.ServiceConfig;
import io.tri4j.examples.GreeterService;
import io.tri4j.testing.TestPki;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.dubbo.samples.proto.GreeterReply;
import org.apache.dubbo.samples.proto.GreeterRequest;
import org.apache.dubbo.samples.proto.GreeterTri4j;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * curl against a TLS port, trusting the test CA as a user would with {@code --cacert}: a gRPC call
 * over HTTP/2 (chosen by ALPN), and the JSON endpoint over HTTP/1.1 on the same port.
 */
@Timeout(60)
class CurlTlsTest {
  static final TestPki ca = TestPki.shared();
  static Server server;
  static String greeter;

  @BeforeAll
  static void start() {
    TestPki.Issued cert = ca.issue("server", "127.0.0.1", "localhost");
    server =
        new Server(
                ServerOptions.defaults()
                    .withTls(ServerTls.fromPem(cert.certificateFile(), cert.keyFile())),
                new ServiceConfig(GreeterService.handler()).withHost("127.0.0.1").withPort(0))
            .start();
    greeter = "https://127.0.0.1:" + server.port() + "/" + GreeterTri4j.SERVICE_NAME;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void grpcOverHttp2_framedRequest_framedReplyAndOkTrailers(@TempDir Path dir) throws Exception {
    Curl.assumeInstalled();
    byte[] message = GreeterRequest.newBuilder().setName("curl").build().toByteArray();
    Path request =
        Files.write(
            dir.resolve("request.bin"),
            ByteBuffer.allocate(5 + message.length)
                .put((byte) 0) // not compressed
                .putInt(message.length)
                .put(message)
                .array());
    Path reply = dir.resolve("reply.bin");

    String headersAndTrailers =
        Curl.run(
            "--http2",
            "--cacert",
            ca.certificateFile().toString(),
            "-H",
            "Content-Type: application/grpc",
            "-H",
            "TE: trailers",
            "--data-binary",
            "@" + request,
            "-o",
            reply.toString(),
            "-D",
            "-",
            greeter + "/greet");

    assertThat(headersAndTrailers).startsWith("HTTP/2 200").contains("grpc-status: 0");
    byte[] framed = Files.readAllBytes(reply);
    assertThat(framed[0]).as("compressed flag").isZero();
    int length = ByteBuffer.wrap(framed, 1, 4).getInt();
    assertThat(framed).hasSize(5 + length);
    assertThat(GreeterReply.parseFrom(Arrays.copyOfRange(framed, 5, 5 + length)).getMessage())
        .isEqualTo("hello curl");
  }

  @Test
  void jsonOverHttp11_unary() throws Exception {
    Curl.assumeInstalled();

    String out =
        Curl.run(
            "--http1.1",
            "--cacert",
            ca.certificateFile().toString(),
            "-H",
            "Content-Type: application/json",
            "-d",
            "{\"name\":\"curl\"}",
            "-w",
            "\\n%{http_version}",
            greeter + "/greet");

    assertThat(out).isEqualTo("{\"message\":\"hello curl\"}\n1.1");
  }
}
