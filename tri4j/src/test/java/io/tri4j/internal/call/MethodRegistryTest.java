package io.tri4j.internal.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.tri4j.Metadata;
import io.tri4j.MethodType;
import io.tri4j.Status;
import io.tri4j.internal.TransportStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class MethodRegistryTest {
  private final MethodRegistry registry =
      new MethodRegistry(
          Runnable::run,
          Runnable::run,
          List.of(),
          new TransportStats(),
          new ShutdownNotice(),
          false);

  private static ServerMethod<byte[], byte[]> method(MethodType type) {
    StreamHandler<byte[], byte[]> handler = (requests, responses) -> {};
    return new ServerMethod<>(type, b -> b, b -> b, handler, null, null, List.of(), false);
  }

  private static IncomingCall call(String path, String version, boolean json) {
    return new IncomingCall(
        path, new Metadata(), null, version, null, null, null, null, json, null);
  }

  @Test
  void methodType_ofARegisteredMethod_isItsType() {
    registry.add("pkg.Svc", null, null, "Chat", method(MethodType.BIDI_STREAMING));
    assertThat(registry.methodType(call("/pkg.Svc/Chat", null, false)))
        .isEqualTo(MethodType.BIDI_STREAMING);
  }

  @Test
  void methodType_ofAnOtherVersion_fallsBackToTheUnversionedRegistration() {
    registry.add("pkg.Svc", null, null, "Get", method(MethodType.UNARY));
    registry.add("pkg.Svc", "2.0", null, "Get", method(MethodType.SERVER_STREAMING));
    assertThat(registry.methodType(call("/pkg.Svc/Get", "2.0", false)))
        .isEqualTo(MethodType.SERVER_STREAMING);
    assertThat(registry.methodType(call("/pkg.Svc/Get", "3.0", false))).isEqualTo(MethodType.UNARY);
  }

  @Test
  void methodType_ofAnUnknownMethod_isNull_andUnimplementedSaysWhatIsMissing() {
    registry.add("pkg.Svc", null, null, "Get", method(MethodType.UNARY));
    IncomingCall unknownMethod = call("/pkg.Svc/Put", null, false);
    assertThat(registry.methodType(unknownMethod)).isNull();
    assertThat(registry.unimplemented(unknownMethod).description())
        .isEqualTo("Method not found: pkg.Svc/Put");
    IncomingCall unknownService = call("/pkg.Other/Get", "1.0", false);
    assertThat(registry.methodType(unknownService)).isNull();
    assertThat(registry.unimplemented(unknownService).description())
        .isEqualTo("Service not found: pkg.Other version 1.0");
  }

  @Test
  void jsonUnsupported_forAMethodWhoseMessagesAreNotProtobuf_isUnimplemented() {
    registry.add("pkg.Svc", null, null, "Raw", method(MethodType.UNARY));
    Status status = registry.jsonUnsupported(call("/pkg.Svc/Raw", null, true));
    assertThat(status).isNotNull();
    assertThat(status.code()).isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  @Test
  void jsonUnsupported_forAnUnknownMethod_isNull() {
    assertThat(registry.jsonUnsupported(call("/pkg.Svc/Nope", null, true))).isNull();
  }
}
