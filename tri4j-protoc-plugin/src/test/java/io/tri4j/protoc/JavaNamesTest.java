package io.tri4j.protoc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileOptions;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JavaNamesTest {

  @ParameterizedTest
  @CsvSource({
    "greeter.proto, Greeter",
    "dir/call_styles.proto, CallStyles",
    "v2-api.proto, V2Api",
    "my.file.proto, MyFile",
    "HTTPThing.proto, HTTPThing",
  })
  void outerClassName_noOption_fileNameInCamelCase(String file, String expected) {
    assertThat(JavaNames.outerClassName(FileDescriptorProto.newBuilder().setName(file).build()))
        .isEqualTo(expected);
  }

  @Test
  void outerClassName_clashesWithANestedType_outerClassAppended() {
    FileDescriptorProto file =
        FileDescriptorProto.newBuilder()
            .setName("thing.proto")
            .addMessageType(
                DescriptorProto.newBuilder()
                    .setName("Box")
                    .addNestedType(DescriptorProto.newBuilder().setName("Thing")))
            .build();

    assertThat(JavaNames.outerClassName(file)).isEqualTo("ThingOuterClass");
  }

  @Test
  void outerClassName_clashesWithAService_outerClassAppended() {
    FileDescriptorProto file =
        FileDescriptorProto.newBuilder()
            .setName("echo.proto")
            .addService(ServiceDescriptorProto.newBuilder().setName("Echo"))
            .build();

    assertThat(JavaNames.outerClassName(file)).isEqualTo("EchoOuterClass");
  }

  @Test
  void outerClassName_option_takenAsWritten() {
    FileDescriptorProto file =
        FileDescriptorProto.newBuilder()
            .setName("greeter.proto")
            .setOptions(FileOptions.newBuilder().setJavaOuterClassname("GreeterProto"))
            .build();

    assertThat(JavaNames.outerClassName(file)).isEqualTo("GreeterProto");
  }

  @Test
  void messageClass_multipleFilesOrNot_nestedWhereProtocPutsIt() {
    DescriptorProto message =
        DescriptorProto.newBuilder()
            .setName("Outer")
            .addNestedType(DescriptorProto.newBuilder().setName("Inner"))
            .build();
    FileDescriptorProto single =
        FileDescriptorProto.newBuilder()
            .setName("a/single.proto")
            .setPackage("p.one")
            .addMessageType(message)
            .build();
    FileDescriptorProto multiple =
        FileDescriptorProto.newBuilder()
            .setName("multiple.proto")
            .setPackage("p.two")
            .setOptions(FileOptions.newBuilder().setJavaMultipleFiles(true).setJavaPackage("j.two"))
            .addMessageType(message)
            .build();

    JavaNames names = new JavaNames(List.of(single, multiple));

    assertThat(names.messageClass(".p.one.Outer.Inner"))
        .isEqualTo(new JavaNames.JavaClass("p.one", "Single.Outer.Inner"));
    assertThat(names.messageClass(".p.two.Outer"))
        .isEqualTo(new JavaNames.JavaClass("j.two", "Outer"));
    assertThat(names.topLevelClasses("j.two")).containsExactlyInAnyOrder("Multiple", "Outer");
    assertThatThrownBy(() -> names.messageClass(".p.two.Missing"))
        .hasMessage("No file of the request defines the message p.two.Missing");
  }

  @ParameterizedTest
  @CsvSource({
    "greet, greet, GREET",
    "SayHello, sayHello, SAY_HELLO",
    "list_items, listItems, LIST_ITEMS",
    "Default, default_, DEFAULT",
    "class, class_, CLASS",
    "Get2Things, get2Things, GET2_THINGS",
  })
  void memberNameAndConstantName_methodName_javaNames(
      String method, String member, String constant) {
    assertThat(JavaNames.memberName(method)).isEqualTo(member);
    assertThat(JavaNames.constantName(JavaNames.memberName(method))).isEqualTo(constant);
  }
}
