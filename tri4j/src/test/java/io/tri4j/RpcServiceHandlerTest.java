package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RpcServiceHandlerTest {
  private static final RpcServiceHandler ECHO =
      new RpcServiceHandler(
          "test.Echo", Map.of("echo", RpcMethodHandler.unary(r -> r, b -> b, b -> b)));

  @Test
  void schemaDescriptor_noneByDefault() {
    assertThat(ECHO.schemaDescriptor()).isNull();
  }

  @Test
  void withSchemaDescriptor_copyCarriesIt_originalUnchanged() {
    Object schema = new Object();

    RpcServiceHandler described = ECHO.withSchemaDescriptor(schema);

    assertThat(described.schemaDescriptor()).isSameAs(schema);
    assertThat(described.serviceName()).isEqualTo("test.Echo");
    assertThat(described.methodHandlers()).isSameAs(ECHO.methodHandlers());
    assertThat(ECHO.schemaDescriptor()).isNull();
  }

  @Test
  void withSchemaDescriptor_null_npeNamingIt() {
    assertThatThrownBy(() -> ECHO.withSchemaDescriptor(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("schemaDescriptor");
  }
}
