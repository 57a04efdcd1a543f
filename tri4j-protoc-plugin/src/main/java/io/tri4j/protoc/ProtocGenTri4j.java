package io.tri4j.protoc;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import java.io.IOException;

/**
 * {@code protoc-gen-tri4j}: the protoc plugin that writes typed tri4j stubs. protoc runs it with a
 * {@code CodeGeneratorRequest} on standard input and reads the {@code CodeGeneratorResponse} from
 * standard output; see the README section "Typed stubs from .proto files".
 */
public final class ProtocGenTri4j {
  private ProtocGenTri4j() {}

  /**
   * Reads the request from standard input and writes the response to standard output.
   *
   * @throws IOException if standard input holds no request
   */
  public static void main(String[] args) throws IOException {
    if (args.length > 0) {
      System.err.println(
          "protoc-gen-tri4j is a protoc plugin: run it through protoc, as in"
              + " protoc --plugin=protoc-gen-tri4j=<script running java -jar this jar>"
              + " --tri4j_out=<dir> file.proto");
      System.exit(2);
    }
    CodeGeneratorRequest request = CodeGeneratorRequest.parseFrom(System.in);
    CodeGenerator.generate(request).writeTo(System.out);
    System.out.flush();
  }
}
