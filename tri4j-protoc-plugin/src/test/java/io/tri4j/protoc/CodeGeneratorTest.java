package io.tri4j.protoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileOptions;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The generator's output for the test protos, compared with the checked-in sources under {@code
 * src/test/resources/golden}, so that every change to generated code shows in review. After a
 * deliberate change, rewrite them with
 *
 * <pre>
 * ./mvnw -pl tri4j-protoc-plugin -am test -Dtest=CodeGeneratorTest -Dsurefire.failIfNoSpecifiedTests=false -Dtri4j.updateGolden=true
 * </pre>
 *
 * and commit them with the change.
 */
class CodeGeneratorTest {
  static final String UPDATE_PROPERTY = "tri4j.updateGolden";
  static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

  @ParameterizedTest
  @FieldSource("io.tri4j.protoc.TestProtos#FILES")
  void generate_testProto_matchesGoldenFile(String proto) throws IOException {
    CodeGeneratorResponse response = CodeGenerator.generate(TestProtos.request(List.of(proto)));

    assertThat(response.hasError()).as(response.getError()).isFalse();
    assertThat(response.getFileList()).hasSize(1);
    CodeGeneratorResponse.File file = response.getFile(0);
    Path golden = GOLDEN.resolve(file.getName());
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, file.getContent(), StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(golden)) {
      fail("No golden file " + golden + ": write it with -D" + UPDATE_PROPERTY + "=true");
    }
    assertThat(file.getContent())
        .as("%s (after a deliberate change: -D%s=true)", golden, UPDATE_PROPERTY)
        .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @FieldSource("io.tri4j.protoc.TestProtos#FILES")
  void generate_testProto_sameAsProtocRunningThePlugin(String proto) throws IOException {
    CodeGeneratorResponse.File file =
        CodeGenerator.generate(TestProtos.request(List.of(proto))).getFile(0);

    // The build ran protoc with this plugin on the same file: the call tests compile its output.
    Path built = Path.of("target", "generated-test-sources", "protobuf").resolve(file.getName());
    assertThat(Files.readString(built, StandardCharsets.UTF_8)).isEqualTo(file.getContent());
  }

  @Test
  void generate_everyFileAtOnce_oneClassPerService() throws IOException {
    CodeGeneratorResponse response = CodeGenerator.generate(TestProtos.request(TestProtos.FILES));

    assertThat(response.getFileList())
        .extracting(CodeGeneratorResponse.File::getName)
        .containsExactly(
            "org/apache/dubbo/samples/proto/GreeterTri4j.java",
            "io/tri4j/protoc/plain/PlainTri4j.java",
            "tri4j/test/styles/v1/CallStylesTri4j.java");
    assertThat(response.getSupportedFeatures())
        .isEqualTo(CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL.getNumber());
  }

  @Test
  void generate_fileWithoutServices_noFiles() {
    FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("empty.proto").build();

    CodeGeneratorResponse response = CodeGenerator.generate(request(file));

    assertThat(response.hasError()).isFalse();
    assertThat(response.getFileList()).isEmpty();
  }

  @Test
  void generate_withOption_errorNamesIt() throws IOException {
    CodeGeneratorRequest request =
        TestProtos.request(List.of("greeter.proto")).toBuilder().setParameter("lite").build();

    CodeGeneratorResponse response = CodeGenerator.generate(request);

    assertThat(response.getError())
        .isEqualTo("Unknown option 'lite': protoc-gen-tri4j takes no options");
    assertThat(response.getFileList()).isEmpty();
  }

  @Test
  void generate_methodsWithTheSameJavaName_errorNamesBoth() {
    FileDescriptorProto file =
        service("a.proto", "pkg", FileOptions.getDefaultInstance(), "say_hello", "SayHello");

    CodeGeneratorResponse response = CodeGenerator.generate(request(file));

    assertThat(response.getError())
        .isEqualTo(
            "Methods say_hello and SayHello of service pkg.Echo would both make the Java method"
                + " sayHello: rename one");
    assertThat(response.getFileList()).isEmpty();
  }

  @Test
  void generate_methodNamedLikeAnotherOnesAsyncForm_error() {
    FileDescriptorProto file =
        service("a.proto", "pkg", FileOptions.getDefaultInstance(), "Get", "GetAsync");

    CodeGeneratorResponse response = CodeGenerator.generate(request(file));

    assertThat(response.getError()).contains("Methods Get and GetAsync", "getAsync: rename one");
  }

  @Test
  void generate_messageInTheDefaultPackageFromANamedOne_errorSaysSetJavaPackage() {
    FileDescriptorProto messages =
        FileDescriptorProto.newBuilder()
            .setName("messages.proto")
            .addMessageType(
                com.google.protobuf.DescriptorProtos.DescriptorProto.newBuilder().setName("Msg"))
            .build();
    FileDescriptorProto file =
        FileDescriptorProto.newBuilder()
            .setName("a.proto")
            .setPackage("pkg")
            .addDependency("messages.proto")
            .addService(
                ServiceDescriptorProto.newBuilder()
                    .setName("Echo")
                    .addMethod(
                        MethodDescriptorProto.newBuilder()
                            .setName("Get")
                            .setInputType(".Msg")
                            .setOutputType(".Msg")))
            .build();

    CodeGeneratorResponse response =
        CodeGenerator.generate(
            CodeGeneratorRequest.newBuilder()
                .addFileToGenerate("a.proto")
                .addProtoFile(messages)
                .addProtoFile(file)
                .build());

    assertThat(response.getError())
        .isEqualTo(
            "The message class Messages.Msg is in the default package, where the code generated for"
                + " pkg.Echo cannot name it: set java_package in the file that defines it");
  }

  @Test
  void generate_serviceNamedLikeAMessageClass_errorSaysWhatToRename() {
    FileDescriptorProto file =
        service(
                "a.proto",
                "pkg",
                FileOptions.newBuilder().setJavaMultipleFiles(true).build(),
                "Get")
            .toBuilder()
            .addMessageType(
                com.google.protobuf.DescriptorProtos.DescriptorProto.newBuilder()
                    .setName("EchoTri4j"))
            .build();

    CodeGeneratorResponse response = CodeGenerator.generate(request(file));

    assertThat(response.getError())
        .isEqualTo(
            "The tri4j class EchoTri4j of service pkg.Echo has the name of a class protoc makes"
                + " for the messages of package pkg: rename the type or set java_outer_classname");
  }

  @Test
  void generate_messageClassNamedString_errorSaysItHidesJavaLang() {
    FileDescriptorProto file =
        service(
            "a.proto",
            "pkg",
            FileOptions.newBuilder().setJavaOuterClassname("String").build(),
            "Get");

    CodeGeneratorResponse response = CodeGenerator.generate(request(file));

    assertThat(response.getError())
        .startsWith("The class String that protoc makes in package pkg hides java.lang.String");
  }

  @Test
  void generate_unknownMessage_errorNamesIt() {
    FileDescriptorProto file =
        service("a.proto", "pkg", FileOptions.getDefaultInstance(), "Get").toBuilder()
            .clearMessageType()
            .build();

    CodeGeneratorResponse response = CodeGenerator.generate(request(file));

    assertThat(response.getError()).isEqualTo("No file of the request defines the message pkg.Msg");
  }

  /** A file with service {@code Echo}, whose unary methods take and return {@code Msg}. */
  private static FileDescriptorProto service(
      String name, String protoPackage, FileOptions options, String... methods) {
    ServiceDescriptorProto.Builder service = ServiceDescriptorProto.newBuilder().setName("Echo");
    for (String method : methods) {
      service.addMethod(
          MethodDescriptorProto.newBuilder()
              .setName(method)
              .setInputType("." + protoPackage + ".Msg")
              .setOutputType("." + protoPackage + ".Msg"));
    }
    return FileDescriptorProto.newBuilder()
        .setName(name)
        .setPackage(protoPackage)
        .setOptions(options)
        .addMessageType(
            com.google.protobuf.DescriptorProtos.DescriptorProto.newBuilder().setName("Msg"))
        .addService(service)
        .build();
  }

  private static CodeGeneratorRequest request(FileDescriptorProto file) {
    return CodeGeneratorRequest.newBuilder()
        .addFileToGenerate(file.getName())
        .addProtoFile(file)
        .build();
  }
}
