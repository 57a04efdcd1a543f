package io.tri4j.protoc;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The test protos of {@code src/test/proto} as protoc sees them: the build writes their descriptor
 * set, with comments and imports, to the file named by the system property {@code
 * tri4j.testProtos}.
 */
final class TestProtos {
  /** The test protos, by their names in the descriptor set. */
  static final List<String> FILES =
      List.of("greeter.proto", "plain.proto", "tri4j/test/call_styles.proto");

  private TestProtos() {}

  /** Every file of the descriptor set, imports first. */
  static List<FileDescriptorProto> all() throws IOException {
    Path path = Path.of(System.getProperty("tri4j.testProtos", "target/test-protos.binpb"));
    try (InputStream in = Files.newInputStream(path)) {
      return FileDescriptorSet.parseFrom(in).getFileList();
    }
  }

  /** The request protoc sends to generate {@code files}. */
  static CodeGeneratorRequest request(List<String> files) throws IOException {
    return CodeGeneratorRequest.newBuilder()
        .addAllFileToGenerate(files)
        .addAllProtoFile(all())
        .build();
  }
}
