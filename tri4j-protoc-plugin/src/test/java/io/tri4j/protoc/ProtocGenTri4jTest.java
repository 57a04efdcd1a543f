package io.tri4j.protoc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The plugin as protoc runs it: a process reading the request on stdin, answering on stdout. */
class ProtocGenTri4jTest {

  private static Process start(String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ProtocGenTri4j.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).start();
  }

  @Test
  void main_requestOnStdin_responseOnStdout() throws Exception {
    CodeGeneratorRequest request = TestProtos.request(List.of("greeter.proto"));
    Process process = start();
    try (OutputStream in = process.getOutputStream()) {
      request.writeTo(in);
    }
    CodeGeneratorResponse response;
    try (InputStream out = process.getInputStream()) {
      response = CodeGeneratorResponse.parseFrom(out);
    }

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(response).isEqualTo(CodeGenerator.generate(request));
  }

  @Test
  void main_withArguments_saysItIsAProtocPluginAndExits2() throws Exception {
    Process process = start("--help");
    process.getOutputStream().close();
    String err;
    try (InputStream in = process.getErrorStream()) {
      err = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(err).startsWith("protoc-gen-tri4j is a protoc plugin: run it through protoc");
  }
}
