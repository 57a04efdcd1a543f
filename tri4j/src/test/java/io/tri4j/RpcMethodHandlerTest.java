package io.tri4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RpcMethodHandlerTest {

  private static RpcMethodHandler<byte[], byte[]> echo() {
    return RpcMethodHandler.unary(b -> b, b -> b, b -> b);
  }

  @Test
  void hasNoSideEffects_isOffByDefault() {
    assertThat(echo().hasNoSideEffects()).isFalse();
  }

  @Test
  void withNoSideEffects_marksACopy_keepingTheRest() {
    RpcMethodHandler<byte[], byte[]> plain = echo();
    RpcMethodHandler<byte[], byte[]> marked = plain.withNoSideEffects();

    assertThat(marked.hasNoSideEffects()).isTrue();
    assertThat(plain.hasNoSideEffects()).isFalse();
    assertThat(marked.type()).isEqualTo(MethodType.UNARY);
    assertThat(marked.requestDeserializer()).isSameAs(plain.requestDeserializer());
    assertThat(marked.responseSerializer()).isSameAs(plain.responseSerializer());
  }
}
