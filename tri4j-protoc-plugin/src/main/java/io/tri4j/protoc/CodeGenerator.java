package io.tri4j.protoc;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns protoc's request into the tri4j classes of every service of the files to generate. A
 * problem the user can fix (an unknown option, clashing names) is the response's error, which
 * protoc prints with the plugin's name, rather than an exception.
 */
final class CodeGenerator {
  private CodeGenerator() {}

  static CodeGeneratorResponse generate(CodeGeneratorRequest request) {
    CodeGeneratorResponse.Builder response =
        CodeGeneratorResponse.newBuilder()
            .setSupportedFeatures(
                CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL.getNumber());
    if (!request.getParameter().isBlank()) {
      return response
          .setError(
              "Unknown option '" + request.getParameter() + "': protoc-gen-tri4j takes no options")
          .build();
    }
    Map<String, FileDescriptorProto> files = new HashMap<>();
    request.getProtoFileList().forEach(file -> files.put(file.getName(), file));
    try {
      JavaNames names = new JavaNames(request.getProtoFileList());
      for (String name : request.getFileToGenerateList()) {
        FileDescriptorProto file = files.get(name);
        if (file == null) {
          throw new IllegalArgumentException("protoc sent no descriptor for " + name);
        }
        for (int i = 0; i < file.getServiceCount(); i++) {
          ServiceWriter writer = new ServiceWriter(file, i, names);
          response.addFile(
              CodeGeneratorResponse.File.newBuilder()
                  .setName(writer.fileName())
                  .setContent(writer.write()));
        }
      }
    } catch (IllegalArgumentException e) {
      return response.clearFile().setError(e.getMessage()).build();
    }
    return response.build();
  }
}
